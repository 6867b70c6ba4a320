/**
 * The report of one run as plain data: what report.json holds and what the Markdown, the
 * terminal summary and the SVG plot are rendered from.
 */
import type { LatencyPercentiles, PercentilePoint } from './histogram.ts';
import { totalErrors } from './operation-tracker.ts';
import type { RunResult } from './run-result.ts';

export interface ReportCounts {
  /** Operations the schedule held for the measured window. */
  readonly scheduled: number;
  readonly sent: number;
  readonly accepted: number;
  readonly completed: number;
  readonly errorsTotal: number;
  /** By kind; `dropped` = due while the in-flight cap was reached. */
  readonly errors: Readonly<Record<string, number>>;
  readonly lost: number;
  readonly late: number;
  readonly duplicates: number;
  /** Completed after a send retried on an unknown outcome (a 503 that may have been processed). */
  readonly completedAfterRetry: number;
}

export interface LoadReport {
  readonly reportVersion: 1;
  readonly scenario: string;
  readonly runId: string;
  /** How the run was started, for re-running it. */
  readonly commandLine: string;
  readonly config: {
    readonly rate: number;
    readonly durationS: number;
    readonly warmupS: number;
    readonly maxInFlight: number;
    readonly drainS: number;
    readonly options: Readonly<Record<string, unknown>>;
  };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly interrupted: boolean;
  /** Operations per second: offered by the schedule, sent, and completed, over the measured window. */
  readonly throughput: { readonly offered: number; readonly achieved: number; readonly completed: number };
  readonly counts: ReportCounts;
  readonly warmup: Pick<ReportCounts, 'sent' | 'completed' | 'errorsTotal' | 'lost'>;
  /** From each operation's intended send time to its observed effect, in ms (measured window only). */
  readonly latencyMs: LatencyPercentiles & { readonly saturated: number };
  readonly distribution: readonly PercentilePoint[];
  readonly schedule: { readonly maxLagMs: number; readonly lateThresholdMs: number };
  readonly problems: readonly string[];
}

export function buildReport(result: RunResult, commandLine: string): LoadReport {
  const { settings, measured, warmup } = result;
  const counts = measured.counts;
  // n sends at rate r span (n-1)/r seconds: add one interval so a perfect run reports exactly r
  const windowS = counts.sent > 0 ? result.measuredSendSpanS + 1 / settings.rate : 0;
  const perSecond = (n: number): number => (windowS > 0 ? round(n / windowS, 1) : 0);
  return {
    reportVersion: 1,
    scenario: result.scenario,
    runId: result.runId,
    commandLine,
    config: {
      rate: settings.rate,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      maxInFlight: settings.maxInFlight,
      drainS: settings.drainS,
      options: result.options,
    },
    startedAt: new Date(result.startedAtMs).toISOString(),
    endedAt: new Date(result.endedAtMs).toISOString(),
    interrupted: result.interrupted,
    throughput: {
      offered: settings.rate,
      achieved: perSecond(counts.sent),
      completed: perSecond(counts.completed),
    },
    counts: {
      scheduled: measured.scheduled,
      sent: counts.sent,
      accepted: counts.accepted,
      completed: counts.completed,
      errorsTotal: totalErrors(counts),
      errors: { ...counts.errors },
      lost: counts.lost,
      late: counts.late,
      duplicates: counts.duplicates,
      completedAfterRetry: counts.completedAfterRetry,
    },
    warmup: {
      sent: warmup.counts.sent,
      completed: warmup.counts.completed,
      errorsTotal: totalErrors(warmup.counts),
      lost: warmup.counts.lost,
    },
    latencyMs: {
      ...roundAll(measured.histogram.percentiles()),
      saturated: measured.histogram.saturatedCount,
    },
    distribution: measured.histogram
      .distribution()
      .map((p) => ({ percentile: round(p.percentile, 6), latencyMs: round(p.latencyMs, 3) })),
    schedule: { maxLagMs: round(result.maxScheduleLagMs, 3), lateThresholdMs: result.lateThresholdMs },
    problems: result.problems,
  };
}

function roundAll(p: LatencyPercentiles): LatencyPercentiles {
  return {
    count: p.count,
    min: round(p.min, 3),
    mean: round(p.mean, 3),
    p50: round(p.p50, 3),
    p90: round(p.p90, 3),
    p95: round(p.p95, 3),
    p99: round(p.p99, 3),
    p999: round(p.p999, 3),
    max: round(p.max, 3),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `kafka-roundtrip-2025-11-25T16-50-03Z`: sorts by time, safe in any file system. */
export function reportDirectoryName(report: Pick<LoadReport, 'scenario' | 'startedAt'>): string {
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  return `${report.scenario}-${stamp}`;
}

/**
 * One measured step: the scenario at one offered rate (in-process, through @streamkit/loadgen's
 * runLoad), with every service's RSS and CPU sampled around it and consumer lag read at the end.
 */

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  buildReport,
  createIntervalTicker,
  createMonotonicClock,
  type LoadgenEnvironment,
  type LoadReport,
  runLoad,
  type Scenario,
  writeReportFiles,
} from '@streamkit/loadgen';
import { maxInFlightFor } from './in-flight.ts';
import type { BenchKafkaAdmin } from './kafka-admin.ts';
import { type MachineCpu, startMachineCpuSampler } from './machine-cpu.ts';
import type { BenchObjective, ScenarioOptionValue } from './plan.ts';
import { type ProcessUsage, startUsageSampler } from './proc.ts';
import { judgeStep } from './ramp.ts';
import type { RunningServices } from './services.ts';

export interface StepTiming {
  readonly durationS: number;
  readonly warmupS: number;
  readonly drainS: number;
}

export interface ServiceUsage extends ProcessUsage {
  readonly service: string;
  readonly pid: number;
}

/** What report.json of the bench keeps per step. */
export interface StepRecord {
  readonly pipeline: string;
  readonly scenario: string;
  /** ramp, state-size, client:<name>. */
  readonly series: string;
  readonly rate: number;
  readonly options: Readonly<Record<string, ScenarioOptionValue>>;
  readonly offered: number;
  readonly achieved: number;
  readonly completed: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly p999: number;
    readonly max: number;
  };
  readonly errorsTotal: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly lost: number;
  readonly late: number;
  readonly lag: Readonly<Record<string, number | null>>;
  readonly services: readonly ServiceUsage[];
  /**
   * The rest of the machine during the step (warmup, measurement and drain): broker, databases,
   * the load generator, all cores. Absent in results of older runs.
   */
  readonly cpu?: MachineCpu & {
    /** Operations sent during warmup and measurement: what the step's CPU seconds paid for. */
    readonly operations: number;
  };
  readonly failure?: string;
  readonly passed: boolean;
  readonly reasons: readonly string[];
  /** What the scenario logged (kept here, not printed, so stderr stays one line per step). */
  readonly scenarioLog: readonly string[];
  /** The loadgen report directory of this step. */
  readonly reportDir?: string;
}

export interface StepRequest {
  readonly pipeline: string;
  readonly series: string;
  readonly scenario: Scenario;
  readonly options: Readonly<Record<string, ScenarioOptionValue>>;
  readonly rate: number;
  readonly timing: StepTiming;
  readonly objective: BenchObjective;
  readonly environment: LoadgenEnvironment;
  readonly services: RunningServices;
  readonly consumerGroups: readonly string[];
  readonly admin: BenchKafkaAdmin | undefined;
  readonly outDir: string;
  readonly signal: AbortSignal;
}

const emptyLatency = { p50: 0, p95: 0, p99: 0, p999: 0, max: 0 };

export async function runStep(request: StepRequest): Promise<StepRecord> {
  const samplers = await Promise.all(
    request.services.processes.map(async (p) => ({ p, sampler: await startUsageSampler(p.pid) })),
  );
  const machineCpu = await startMachineCpuSampler(availableParallelism());
  const crashesBefore = request.services.crashes().length;
  let report: LoadReport | undefined;
  const scenarioLog: string[] = [];
  let failure: string | undefined;
  try {
    const ticker = createIntervalTicker();
    const result = await runLoad(
      {
        scenario: request.scenario,
        options: request.options,
        settings: {
          rate: request.rate,
          durationS: request.timing.durationS,
          warmupS: request.timing.warmupS,
          drainS: request.timing.drainS,
          maxInFlight: maxInFlightFor(request.rate, request.objective),
        },
        environment: request.environment,
      },
      {
        clock: createMonotonicClock(),
        ticker,
        signal: request.signal,
        log: (line) => {
          if (scenarioLog.length < 50) scenarioLog.push(line);
        },
      },
    );
    report = buildReport(
      result,
      `pnpm bench ${request.pipeline} (${request.series} step at ${request.rate}/s)`,
    );
    if (result.problems.length > 0) failure = result.problems.join('; ');
  } catch (error) {
    failure = `scenario ${request.scenario.name} failed: ${messageOf(error)}`;
  }
  const services: ServiceUsage[] = [];
  for (const { p, sampler } of samplers) {
    services.push({ service: p.name, pid: p.pid, ...(await sampler.stop()) });
  }
  const cpu = await machineCpu.stop();
  const newCrashes = request.services.crashes().slice(crashesBefore);
  if (newCrashes.length > 0) failure = [failure, ...newCrashes].filter(Boolean).join('; ');
  const lag =
    request.admin === undefined ? {} : await request.admin.lagOf(request.consumerGroups).catch(() => ({}));

  let reportDir: string | undefined;
  if (report !== undefined) {
    const slug = `${request.series.replaceAll(/[^a-z0-9-]/gi, '-')}-${request.scenario.name}-${request.rate}`;
    reportDir = (await writeReportFiles(report, join(request.outDir, request.pipeline, slug))).directory;
  }
  const base = {
    offered: request.rate,
    achieved: report?.throughput.achieved ?? 0,
    completed: report?.throughput.completed ?? 0,
    errorsTotal: report?.counts.errorsTotal ?? 0,
    lost: report?.counts.lost ?? 0,
  };
  const latencyMs = report === undefined ? emptyLatency : pickLatency(report);
  const verdict = judgeStep(
    { ...base, p99Ms: latencyMs.p99, ...(failure === undefined ? {} : { failure }) },
    request.objective,
  );
  return {
    pipeline: request.pipeline,
    scenario: request.scenario.name,
    series: request.series,
    rate: request.rate,
    options: request.options,
    ...base,
    latencyMs,
    errors: report?.counts.errors ?? {},
    late: report?.counts.late ?? 0,
    lag,
    services,
    cpu: {
      ...cpu,
      operations: Math.round(base.achieved * (request.timing.warmupS + request.timing.durationS)),
    },
    ...(failure === undefined ? {} : { failure }),
    passed: verdict.passed,
    reasons: verdict.reasons,
    scenarioLog,
    ...(reportDir === undefined ? {} : { reportDir }),
  };
}

function pickLatency(report: LoadReport): StepRecord['latencyMs'] {
  const l = report.latencyMs;
  return { p50: l.p50, p95: l.p95, p99: l.p99, p999: l.p999, max: l.max };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

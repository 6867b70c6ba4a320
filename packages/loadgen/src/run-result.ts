/** What a run measured, before it becomes a report. */
import type { LatencyHistogram } from './histogram.ts';
import type { PhaseCounts } from './operation-tracker.ts';
import type { RunSettings } from './scenario.ts';

export interface PhaseResult {
  readonly counts: Readonly<PhaseCounts>;
  readonly histogram: LatencyHistogram;
  /** Operations the schedule held for this phase (fewer were sent when interrupted). */
  readonly scheduled: number;
}

export interface RunResult {
  readonly scenario: string;
  readonly runId: string;
  readonly settings: RunSettings;
  readonly options: Readonly<Record<string, unknown>>;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** From the first intended send of the measured window to its last send, in s. */
  readonly measuredSendSpanS: number;
  readonly interrupted: boolean;
  readonly maxScheduleLagMs: number;
  readonly lateThresholdMs: number;
  readonly warmup: PhaseResult;
  readonly measured: PhaseResult;
  /** Non-fatal trouble (a failed teardown): reported, and the CLI exits non-zero. */
  readonly problems: readonly string[];
}

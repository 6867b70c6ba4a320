import type { FaultKind } from './faults.ts';
import type { InjectedFault } from './inject.ts';
import type { OutputCheck } from './plan.ts';

export interface ChaosSettings {
  readonly faults: number;
  readonly seed: number;
  readonly durationS: number;
  /** Offered operations per second. */
  readonly rate: number;
  /** The kinds allowed (default: all the pipeline supports). */
  readonly kinds?: readonly FaultKind[];
  /** After the load: how long to wait for accepted operations' effects, s. */
  readonly drainS: number;
}

export interface FaultOutcome extends InjectedFault {
  /** See recovery.ts; undefined when an affected operation never completed. */
  readonly recoveryMs: number | undefined;
}

export interface ChaosResult {
  readonly pipeline: string;
  readonly command: string;
  readonly settings: ChaosSettings;
  readonly startedAt: string;
  /** When the first operation was sent (ms since the epoch). */
  readonly loadStartedAtMs: number;
  readonly redisHolds?: string;
  readonly faults: readonly FaultOutcome[];
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  /** The load generator's errors by kind (http-503, timeout, network, …; `dropped`: never sent). */
  readonly refusedByKind: Readonly<Record<string, number>>;
  readonly checks: readonly OutputCheck[];
  readonly lost: number;
  readonly duplicated: number;
  readonly longestRecoveryMs: number | undefined;
  /** Service exits nobody asked for (restarted by the run). */
  readonly unexpectedExits: readonly string[];
  /** Why the run fails (anything lost or duplicated, a fault that could not be carried out, …). */
  readonly failures: readonly string[];
  /** 1-minute load average at the start and the end of the run. */
  readonly loadAverage: readonly [number, number];
  readonly logFile: string;
}

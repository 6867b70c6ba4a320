/** How long and how far a bench run goes; validated once, before anything starts. */
import { BenchUsageError } from './errors.ts';
import type { StepTiming } from './step.ts';

export interface BenchSettings {
  readonly timing: StepTiming;
  /** Bisection steps between the last pass and the first fail. */
  readonly bisections: number;
  /** Ramp steps per scenario at most (doubling + bisection). */
  readonly maxSteps: number;
  /** Overrides every plan's first rate (the smoke test runs one tiny step). */
  readonly startRate?: number;
  /** Only these scenarios of each plan (`--scenario`, repeatable); all when absent. */
  readonly scenarios?: readonly string[];
  readonly stateSizes: boolean;
  /**
   * Offered rate of the state-size runs (`--state-rate`), e.g. an issue's target rate; default:
   * the plan's, else half the max sustainable rate found by the ramp.
   */
  readonly stateSizeRate?: number;
  readonly clients: boolean;
  readonly baseline: boolean;
  /** The http-roundtrip ramp at each HTTP-fronted scenario's objective. */
  readonly httpFloor: boolean;
  /** Records per ProducerPerformance / ConsumerPerformance run, and per EndToEndLatency run. */
  readonly baselineRecords: number;
  readonly endToEndRecords: number;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
}

/**
 * Steps of 30 s measured: a p99 near the knee then rests on tens of thousands of samples (8 s steps
 * flipped pass/fail between runs). The four pipelines take about an hour on a 2-core machine.
 */
export const fullSettings: BenchSettings = {
  timing: { warmupS: 5, durationS: 30, drainS: 5 },
  bisections: 2,
  maxSteps: 9,
  stateSizes: true,
  clients: true,
  baseline: true,
  httpFloor: true,
  baselineRecords: 100_000,
  endToEndRecords: 3_000,
  readyTimeoutMs: 90_000,
  stopTimeoutMs: 10_000,
};

/** `--quick`: a few minutes in all; the figures are only indicative. */
export const quickSettings: BenchSettings = {
  ...fullSettings,
  timing: { warmupS: 1, durationS: 3, drainS: 3 },
  bisections: 0,
  maxSteps: 3,
  baselineRecords: 20_000,
  endToEndRecords: 500,
};

/** Whether `--scenario` selected this scenario (all are, without the flag). */
export function isSelectedScenario(s: Pick<BenchSettings, 'scenarios'>, scenario: string): boolean {
  return s.scenarios === undefined || s.scenarios.includes(scenario);
}

export function validateSettings(s: BenchSettings): BenchSettings {
  const positive = (name: string, v: number) => {
    if (!Number.isFinite(v) || v <= 0) throw new BenchUsageError(`${name}: expected a number > 0, got ${v}`);
  };
  positive('--duration', s.timing.durationS);
  if (!(s.timing.warmupS >= 0))
    throw new BenchUsageError(`--warmup: expected a number >= 0, got ${s.timing.warmupS}`);
  if (!(s.timing.drainS >= 0))
    throw new BenchUsageError(`--drain: expected a number >= 0, got ${s.timing.drainS}`);
  if (!Number.isInteger(s.bisections) || s.bisections < 0) {
    throw new BenchUsageError(`--bisections: expected an integer >= 0, got ${s.bisections}`);
  }
  if (!Number.isInteger(s.maxSteps) || s.maxSteps < 1) {
    throw new BenchUsageError(`--max-steps: expected an integer >= 1, got ${s.maxSteps}`);
  }
  if (s.startRate !== undefined) positive('--start-rate', s.startRate);
  if (s.stateSizeRate !== undefined) positive('--state-rate', s.stateSizeRate);
  positive('baselineRecords', s.baselineRecords);
  positive('endToEndRecords', s.endToEndRecords);
  return s;
}

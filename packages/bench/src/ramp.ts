/**
 * The max-sustainable-throughput search as pure functions over the steps run so far: double the
 * offered rate while steps pass, then bisect between the last pass and the first fail a few times.
 */
import type { BenchObjective } from './plan.ts';

export interface RampSettings {
  readonly startRate: number;
  readonly maxRate: number;
  /** Bisection steps after the first failure. */
  readonly bisections: number;
  /** Stop bisecting once pass and fail are this close (fraction of the pass). */
  readonly resolution: number;
}

export interface RampPoint {
  readonly rate: number;
  readonly passed: boolean;
}

/** The next offered rate to try, or undefined when the search is over. */
export function nextRampRate(history: readonly RampPoint[], settings: RampSettings): number | undefined {
  if (history.length === 0) return settings.startRate;
  const failures = history.filter((p) => !p.passed);
  const lastPass = highestPassingRate(history);
  if (failures.length === 0) {
    const last = history[history.length - 1]?.rate ?? settings.startRate;
    if (last >= settings.maxRate) return undefined;
    return Math.min(settings.maxRate, last * 2);
  }
  if (lastPass === undefined) {
    // even the first rate failed: halve down to a quarter of the start before giving up
    const lowest = Math.min(...failures.map((p) => p.rate));
    const lower = Math.floor(lowest / 2);
    return lower >= 1 && lower >= settings.startRate / 4 ? lower : undefined;
  }
  const firstFail = Math.min(...failures.filter((p) => p.rate > lastPass).map((p) => p.rate));
  if (!Number.isFinite(firstFail)) return undefined;
  const bisectionsDone = history.length - 1 - bracketIndex(history);
  if (bisectionsDone >= settings.bisections) return undefined;
  if (firstFail - lastPass <= lastPass * settings.resolution) return undefined;
  const middle = Math.round((lastPass + firstFail) / 2);
  if (middle <= lastPass || middle >= firstFail) return undefined;
  return middle;
}

/** The first step after which some pass lies below some fail: from there on, steps are bisections. */
function bracketIndex(history: readonly RampPoint[]): number {
  for (let i = 0; i < history.length; i++) {
    const seen = history.slice(0, i + 1);
    const pass = highestPassingRate(seen);
    if (pass !== undefined && seen.some((p) => !p.passed && p.rate > pass)) return i;
  }
  return history.length - 1;
}

export function highestPassingRate(history: readonly RampPoint[]): number | undefined {
  const passing = history.filter((p) => p.passed).map((p) => p.rate);
  return passing.length === 0 ? undefined : Math.max(...passing);
}

/** The numbers of one step that decide whether it passed. */
export interface StepVerdictInput {
  readonly offered: number;
  readonly achieved: number;
  readonly completed: number;
  readonly p99Ms: number;
  readonly errorsTotal: number;
  readonly lost: number;
  /** Set when the step could not run properly (a service died, setup failed). */
  readonly failure?: string;
}

export interface StepVerdict {
  readonly passed: boolean;
  /** Why it failed; empty when it passed. */
  readonly reasons: readonly string[];
}

/** Share of the offered rate that must actually be sent for a step to count. */
export const minAchievedShare = 0.95;

export function judgeStep(step: StepVerdictInput, objective: BenchObjective): StepVerdict {
  const reasons: string[] = [];
  if (step.failure !== undefined) reasons.push(step.failure);
  if (step.completed <= 0) reasons.push('nothing completed');
  if (!(step.p99Ms < objective.p99Ms)) reasons.push(`p99 ${step.p99Ms} ms ≥ ${objective.p99Ms} ms`);
  if (step.errorsTotal > 0) reasons.push(`${step.errorsTotal} errors`);
  if (step.lost > 0) reasons.push(`${step.lost} lost`);
  if (step.achieved < step.offered * minAchievedShare) {
    reasons.push(`achieved ${step.achieved}/s < 95 % of ${step.offered}/s`);
  }
  return { passed: reasons.length === 0, reasons };
}

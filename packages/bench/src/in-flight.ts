import type { BenchObjective } from './plan.ts';

/** The least a step lets be outstanding at once (the loadgen's brake, which protects its machine). */
export const MIN_MAX_IN_FLIGHT = 10_000;

/**
 * How many operations a step lets be outstanding before it drops the next one due: twice what a
 * pipeline meeting its objective keeps in flight (rate × p99 objective), at least 10,000. A fixed
 * 10,000 dropped lines of the dashboard at 15,000/s while their p99 was 1 s: a pipeline that
 * answers in batches holds most of a second of its input at once, so the cap, not the objective,
 * failed the step.
 */
export function maxInFlightFor(rate: number, objective: Pick<BenchObjective, 'p99Ms'>): number {
  return Math.max(MIN_MAX_IN_FLIGHT, Math.ceil((2 * rate * objective.p99Ms) / 1000));
}

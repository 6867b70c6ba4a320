import { createIntervalTicker, createMonotonicClock } from './clock.ts';
import type { PhaseCounts } from './operation-tracker.ts';
import type { OptionSpec } from './options.ts';
import type { RunResult } from './run-result.ts';
import { type RunDependencies, type RunRequest, runLoad } from './runner.ts';

/** A run on the wall clock (the monotonic clock, the interval ticker): what a scenario's smoke test does. */
export function runInRealTime<S extends OptionSpec>(
  request: RunRequest<S>,
  deps: Omit<RunDependencies, 'clock' | 'ticker'> = {},
): Promise<RunResult> {
  return runLoad(request, { clock: createMonotonicClock(), ticker: createIntervalTicker(), ...deps });
}

/** The counts that say whether a run lost anything: compare with `allCompleted(n)`. */
export type RunOutcome = Pick<PhaseCounts, 'sent' | 'completed' | 'lost' | 'duplicates' | 'errors'>;

export function outcomeOf(counts: PhaseCounts): RunOutcome {
  const { sent, completed, lost, duplicates, errors } = counts;
  return { sent, completed, lost, duplicates, errors };
}

/** A clean run of `n` operations: every one sent and completed once, none lost, no errors. */
export function allCompleted(n: number): RunOutcome {
  return { sent: n, completed: n, lost: 0, duplicates: 0, errors: {} };
}

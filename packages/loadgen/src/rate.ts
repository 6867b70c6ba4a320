/**
 * Open-loop rate control, free of any clock: the caller passes "now" to `tick`.
 *
 * Operation i is *intended* to start at `startNs + i / rate`. Each tick issues every operation
 * whose intended time has come, whether or not earlier ones completed, so a slow system under test
 * cannot slow the generator down and hide its own queueing delay (coordinated omission). The only
 * brake is `maxInFlight`, which protects the generator's machine: an operation due while the cap
 * is reached is not issued but handed to `drop`, to be counted as an error, never silently delayed.
 */
import { nsPerSecond } from './clock.ts';
import { UsageError } from './errors.ts';

export interface OpenLoopSettings {
  /** Operations per second. */
  readonly rate: number;
  /** How many operations the whole schedule holds. */
  readonly totalOperations: number;
  /** Intended time of operation 0. */
  readonly startNs: number;
  /** Operations allowed in flight at once; one more due is dropped. */
  readonly maxInFlight: number;
}

export interface OpenLoopHooks {
  /** Operations issued and not yet finished (completed, failed or given up on). */
  inFlight(): number;
  /** Issue one operation; `lagNs` is how late it goes out relative to its intended time. */
  issue(operation: number, intendedAtNs: number, lagNs: number): void;
  /** The operation was due while `maxInFlight` operations were outstanding. */
  drop(operation: number, intendedAtNs: number): void;
}

export interface OpenLoopDriver {
  /** Issues (or drops) every operation due at `nowNs`; returns how many were due. */
  tick(nowNs: number): number;
  /** Ends the schedule early: later operations are never issued. */
  stop(): void;
  /** Every operation of the schedule was issued or dropped, or `stop` was called. */
  readonly finished: boolean;
  /** Operations issued or dropped so far. */
  readonly dispatched: number;
  readonly totalOperations: number;
  intendedAtNs(operation: number): number;
}

export function intendedSendTimeNs(startNs: number, rate: number, operation: number): number {
  // multiply before dividing: exact for integral rates, no drift accumulated over a long run
  return startNs + (operation * nsPerSecond) / rate;
}

export function validateOpenLoopSettings(settings: OpenLoopSettings): void {
  const { rate, totalOperations, maxInFlight, startNs } = settings;
  if (!Number.isFinite(rate) || rate <= 0)
    throw new UsageError(`rate must be a positive number, got ${rate}`);
  if (!Number.isSafeInteger(totalOperations) || totalOperations < 0) {
    throw new UsageError(`totalOperations must be a non-negative integer, got ${totalOperations}`);
  }
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw new UsageError(`maxInFlight must be an integer >= 1, got ${maxInFlight}`);
  }
  if (!Number.isFinite(startNs)) throw new UsageError(`startNs must be finite, got ${startNs}`);
}

export function createOpenLoopDriver(settings: OpenLoopSettings, hooks: OpenLoopHooks): OpenLoopDriver {
  validateOpenLoopSettings(settings);
  const { rate, startNs, maxInFlight } = settings;
  let total = settings.totalOperations;
  let next = 0;
  const intendedAtNs = (operation: number): number => intendedSendTimeNs(startNs, rate, operation);

  return {
    tick(nowNs) {
      let due = 0;
      while (next < total) {
        const intended = intendedAtNs(next);
        if (intended > nowNs) break;
        const operation = next++;
        due++;
        if (hooks.inFlight() >= maxInFlight) hooks.drop(operation, intended);
        else hooks.issue(operation, intended, nowNs - intended);
      }
      return due;
    },
    stop() {
      total = next;
    },
    get finished() {
      return next >= total;
    },
    get dispatched() {
      return next;
    },
    get totalOperations() {
      return total;
    },
    intendedAtNs,
  };
}

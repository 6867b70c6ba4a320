import { UsageError } from './errors.ts';
import type { RunSettings } from './scenario.ts';

/** Rejects settings no run can honour, naming the flag, before anything is set up. */
export function validateRunSettings(settings: RunSettings): void {
  const { rate, durationS, warmupS, maxInFlight, drainS } = settings;
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new UsageError(message);
  };
  check(
    Number.isFinite(rate) && rate > 0,
    `rate must be a positive number of operations per second, got ${rate}`,
  );
  check(
    Number.isFinite(durationS) && durationS > 0,
    `duration must be a positive number of seconds, got ${durationS}`,
  );
  check(Number.isFinite(warmupS) && warmupS >= 0, `warmup must be >= 0 seconds, got ${warmupS}`);
  check(Number.isFinite(drainS) && drainS >= 0, `drain must be >= 0 seconds, got ${drainS}`);
  check(
    Number.isSafeInteger(maxInFlight) && maxInFlight >= 1,
    `max-in-flight must be an integer >= 1, got ${maxInFlight}`,
  );
  check(
    Math.round(rate * durationS) >= 1,
    `rate × duration must give at least one operation, got ${rate}/s × ${durationS} s`,
  );
}

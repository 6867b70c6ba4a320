/**
 * Time sources for a run. Every time in the load generator is a number of nanoseconds since the
 * run's origin on a monotonic clock (a double holds those exactly for ~104 days), so intended
 * send times, completions and latencies share one time base. Injected everywhere so tests can
 * drive time by hand.
 */
export interface Clock {
  /** Monotonic nanoseconds since the clock's origin. */
  nowNs(): number;
  /** Wall-clock epoch milliseconds corresponding to a `nowNs()` reading (for timestamps in events). */
  epochMsAt(ns: number): number;
  /** The inverse of `epochMsAt`: where an event's epoch-ms creation time falls on this clock. */
  nsAtEpochMs(epochMs: number): number;
}

/** Calls `fn` every `intervalMs` until the returned function is called. */
export interface Ticker {
  every(intervalMs: number, fn: () => void): () => void;
}

export function createMonotonicClock(): Clock {
  const originHr = process.hrtime.bigint();
  const originEpochMs = Date.now();
  return {
    nowNs: () => Number(process.hrtime.bigint() - originHr),
    epochMsAt: (ns) => originEpochMs + ns / 1e6,
    nsAtEpochMs: (epochMs) => (epochMs - originEpochMs) * 1e6,
  };
}

export function createIntervalTicker(): Ticker {
  return {
    every(intervalMs, fn) {
      const handle = setInterval(fn, intervalMs);
      return () => clearInterval(handle);
    },
  };
}

export const nsPerSecond = 1e9;

/** A hand-driven clock and ticker: tests move time forward and the run's timers fire on it. */
import type { Clock, Ticker } from '../src/clock.ts';

interface Timer {
  readonly intervalNs: number;
  nextNs: number;
  readonly fn: () => void;
}

export interface FakeTime {
  readonly clock: Clock;
  readonly ticker: Ticker;
  /** Fires every timer due up to `targetNs` in order, letting promises settle after each. */
  advanceTo(targetNs: number): Promise<void>;
  /** Advances in steps until `promise` settles; fails past `limitNs` of fake time. */
  runUntilSettled<T>(promise: Promise<T>, limitNs?: number): Promise<T>;
}

const epochOriginMs = 1_750_000_000_000;

export function createFakeTime(): FakeTime {
  let now = 0;
  const timers = new Set<Timer>();
  const clock: Clock = {
    nowNs: () => now,
    epochMsAt: (ns) => epochOriginMs + ns / 1e6,
    nsAtEpochMs: (ms) => (ms - epochOriginMs) * 1e6,
  };
  const ticker: Ticker = {
    every(intervalMs, fn) {
      const timer: Timer = { intervalNs: intervalMs * 1e6, nextNs: now + intervalMs * 1e6, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  async function advanceTo(targetNs: number): Promise<void> {
    for (;;) {
      let next: Timer | undefined;
      for (const t of timers) if (t.nextNs <= targetNs && (!next || t.nextNs < next.nextNs)) next = t;
      if (!next) break;
      now = next.nextNs;
      next.nextNs += next.intervalNs;
      next.fn();
      await flush();
    }
    now = Math.max(now, targetNs);
    await flush();
  }

  async function runUntilSettled<T>(promise: Promise<T>, limitNs = 120e9): Promise<T> {
    let settled = false;
    const tracked = promise.finally(() => {
      settled = true;
    });
    tracked.catch(() => {}); // observed below
    await flush();
    while (!settled) {
      if (now > limitNs) throw new Error(`fake time passed ${limitNs / 1e9} s before the promise settled`);
      await advanceTo(now + 10e6);
    }
    return tracked;
  }

  return { clock, ticker, advanceTo, runUntilSettled };
}

// The live stream against a wall clock: sent faster than real time it never dates a payment ahead of
// the clock (the gateway would refuse it), keeps times in order, and leaves the intervals alone
// while it is not ahead.
import { describe, expect, it } from 'vitest';
import { liveStream } from '../src/generator/live-stream.ts';

const startMs = Date.UTC(2026, 0, 1);
const settings = { seed: 3, cards: 30, startMs, fraudPerCardDay: 0.2, warmupMs: 0 };

function take(n: number, clock?: () => number): number[] {
  const out: number[] = [];
  for (const p of liveStream(clock === undefined ? settings : { ...settings, clock })) {
    out.push(Date.parse(p.payment.ts));
    if (out.length === n) break;
  }
  return out;
}

describe('liveStream with a clock', () => {
  it('is unchanged while the simulation is behind the clock', () => {
    expect(take(200, () => startMs + 30 * 86_400_000)).toEqual(take(200));
  });

  it('dates nothing ahead of a clock that stands still, and keeps the order', () => {
    const free = take(300);
    const now = free[100] as number;
    const bounded = take(300, () => now);
    expect(bounded.slice(0, 100)).toEqual(free.slice(0, 100));
    expect(Math.max(...bounded)).toBe(now);
    expect(bounded).toEqual([...bounded].sort((a, b) => a - b));
    expect(free.at(-1)).toBeGreaterThan(now);
  });
});

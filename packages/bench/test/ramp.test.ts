import { describe, expect, it } from 'vitest';
import type { BenchObjective } from '../src/plan.ts';
import { highestPassingRate, judgeStep, nextRampRate, type RampPoint } from '../src/ramp.ts';

const settings = { startRate: 100, maxRate: 6400, bisections: 2, resolution: 0.1 };

/** Runs the search against a system that sustains everything up to `capacity`. */
function search(capacity: number, s = settings): RampPoint[] {
  const history: RampPoint[] = [];
  for (let i = 0; i < 50; i++) {
    const rate = nextRampRate(history, s);
    if (rate === undefined) break;
    history.push({ rate, passed: rate <= capacity });
  }
  return history;
}

describe('nextRampRate', () => {
  it('doubles while steps pass, then bisects twice between the last pass and the first fail', () => {
    const history = search(1000);
    expect(history.map((p) => p.rate)).toEqual([100, 200, 400, 800, 1600, 1200, 1000]);
    expect(highestPassingRate(history)).toBe(1000);
  });

  it('stops at the maximum rate when everything passes', () => {
    const history = search(1e9);
    expect(history.map((p) => p.rate)).toEqual([100, 200, 400, 800, 1600, 3200, 6400]);
    expect(highestPassingRate(history)).toBe(6400);
  });

  it('halves down to a quarter of the start when the first rate fails', () => {
    expect(search(60).map((p) => p.rate)).toEqual([100, 50, 75, 63]);
    expect(search(10).map((p) => p.rate)).toEqual([100, 50, 25]);
    expect(highestPassingRate(search(10))).toBeUndefined();
  });

  it('does no bisection when asked for none', () => {
    expect(search(1000, { ...settings, bisections: 0 }).map((p) => p.rate)).toEqual([
      100, 200, 400, 800, 1600,
    ]);
  });

  it('stops bisecting once pass and fail are within the resolution', () => {
    const history: RampPoint[] = [
      { rate: 1000, passed: true },
      { rate: 1050, passed: false },
    ];
    expect(nextRampRate(history, settings)).toBeUndefined();
  });
});

describe('judgeStep', () => {
  const objective: BenchObjective = { p99Ms: 100, text: 'p99 < 100 ms', target: 'x' };
  const good = { offered: 100, achieved: 99, completed: 99, p99Ms: 50, errorsTotal: 0, lost: 0 };

  it('passes a step that meets every condition', () => {
    expect(judgeStep(good, objective)).toEqual({ passed: true, reasons: [] });
  });

  it('names every reason a step fails', () => {
    const verdict = judgeStep(
      {
        offered: 100,
        achieved: 90,
        completed: 80,
        p99Ms: 100,
        errorsTotal: 3,
        lost: 2,
        failure: 'gateway exited with exit code 1',
      },
      objective,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual([
      'gateway exited with exit code 1',
      'p99 100 ms ≥ 100 ms',
      '3 errors',
      '2 lost',
      'achieved 90/s < 95 % of 100/s',
    ]);
  });

  it('fails a step where nothing completed', () => {
    expect(judgeStep({ ...good, completed: 0, p99Ms: 0 }, objective).reasons).toContain('nothing completed');
  });
});

import { describe, expect, it } from 'vitest';
import { createRandom, hash32 } from '../src/index.ts';

const draw = (seed: number | string, n: number) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => r.next());
};

describe('createRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    expect(draw(7, 50)).toEqual(draw(7, 50));
    expect(draw('card-1', 50)).toEqual(draw('card-1', 50));
    expect(draw(7, 50)).not.toEqual(draw(8, 50));
  });

  it('stays in range and matches the distributions’ means on a large sample', () => {
    const r = createRandom(42);
    const n = 20_000;
    let uniform = 0;
    let normal = 0;
    let exponential = 0;
    let poisson = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = r.int(3, 5);
      expect([3, 4, 5]).toContain(k);
      uniform += u;
      normal += r.normal();
      exponential += r.exponential(2);
      poisson += r.poisson(3);
    }
    expect(uniform / n).toBeCloseTo(0.5, 1);
    expect(normal / n).toBeCloseTo(0, 1);
    expect(exponential / n).toBeCloseTo(2, 0);
    expect(poisson / n).toBeCloseTo(3, 0);
  });

  it('hashes strings stably (FNV-1a)', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(hash32('a'));
    expect(hash32('a')).not.toBe(hash32('b'));
  });
});

/**
 * A small seeded PRNG (mulberry32) and the distributions the pipelines' data generators draw from.
 * Deterministic by seed on every platform: the same seed always yields the same stream, so a
 * generated data set can be made again exactly; Math.random is never used.
 */
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [min, max] */
  int(min: number, max: number): number;
  /** uniform in [min, max) */
  uniform(min: number, max: number): number;
  chance(probability: number): boolean;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** log-normal with the given median and log-space sigma */
  logNormal(median: number, sigma: number): number;
  /** exponential with the given mean */
  exponential(mean: number): number;
  poisson(mean: number): number;
  pick<T>(items: readonly T[]): T;
  /** picks by non-negative weights (need not sum to 1) */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
  /** a child stream, independent of how much of this one is consumed later */
  fork(label: string): Random;
}

/** 32-bit FNV-1a, used to derive seeds from labels. */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRandom(seed: number | string): Random {
  let state = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() is in (0, 1], so the log is finite
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    poisson(mean) {
      // Knuth's method: the generators' means are small (events per session, payments per day)
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    pick(items) {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    weighted(items, weightOf) {
      let total = 0;
      for (const item of items) total += weightOf(item);
      let r = next() * total;
      for (const item of items) {
        r -= weightOf(item);
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (last === undefined) throw new RangeError('weighted pick from an empty list');
      return last;
    },
    fork: (label) => createRandom(hash32(label, state ^ 0x9e3779b9)),
  };
  return random;
}

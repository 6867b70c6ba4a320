import { describe, expect, it } from 'vitest';
import { createExpiringCache } from '../src/index.ts';

describe('createExpiringCache', () => {
  it('answers a value until it expires', () => {
    const cache = createExpiringCache<string, string>(10);
    cache.set('a', 'one', 1_000);
    expect(cache.get('a', 999)).toBe('one');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.get('b', 0)).toBeUndefined();
    cache.set('a', 'two', 2_000);
    expect(cache.get('a', 1_500)).toBe('two');
  });

  it('keeps at most maxEntries, dropping those set longest ago first', () => {
    const cache = createExpiringCache<string, number>(2);
    cache.set('a', 1, 10_000);
    cache.set('b', 2, 10_000);
    cache.set('a', 3, 10_000); // set again: now the newest
    cache.set('c', 4, 10_000);
    expect(cache.size).toBe(2);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([3, undefined, 4]);
    expect(createExpiringCache(0).size).toBe(0);
    expect(() => createExpiringCache(-1)).toThrow(RangeError);
  });
});

// sql/postgres/004: a database migrated before request times were whole milliseconds (its
// histogram holds microsecond request times) gets them folded into their millisecond, halves up,
// like the shipper rounds (src/shipper/request-time.ts), and the view follows.
import { describe, expect, it } from 'vitest';
import { wholeMilliseconds } from '../src/shipper/request-time.ts';
import { type LatencyRow, useViewsDatabase } from './support/views-database.ts';

const database = useViewsDatabase('dash-latms');

const before: LatencyRow[] = [
  ['/a', 42.5, 2],
  ['/a', 43, 1],
  ['/a', 42.499, 4],
  ['/a', 42.501, 1],
  ['/a', 0.25, 1],
  ['/a', 0.5, 1],
  ['/b', 1.5, 3],
  ['/b', 2.5, 3],
  ['/b', 7, 1],
];

describe('migration 004 (whole-millisecond latency histogram)', () => {
  it('folds the microsecond rows of an already migrated database into whole milliseconds', async () => {
    // the state of a database migrated up to 003, as users' databases are
    const views = database();
    await views.migrateBefore('004');
    await views.insertLatencyRows('2025-01-01T00:00:00Z', before);

    const result = await views.migrate();
    expect(result.applied[0]).toBe('004_latency_whole_ms.sql'); // then the later ones

    // the expected histogram, folded with the shipper's own rule
    const expected = new Map<string, number>();
    for (const [route, ms, requests] of before) {
      const key = `${route} ${wholeMilliseconds(ms)}`;
      expected.set(key, (expected.get(key) ?? 0) + requests);
    }
    const stored = await views.latencyRows();
    expect(new Map(stored.map(([route, ms, requests]) => [`${route} ${ms}`, requests]))).toEqual(expected);
    expect(expected.get('/b 3'), 'halves up, not to even').toBe(3);

    expect(await views.latencyView()).toEqual([
      { route: '/a', requests: 10, p50_ms: 42, p95_ms: 43, p99_ms: 43 },
      { route: '/b', requests: 7, p50_ms: 3, p95_ms: 7, p99_ms: 7 },
    ]);
  });
});

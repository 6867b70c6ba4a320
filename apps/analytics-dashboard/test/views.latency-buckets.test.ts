// The latency view's buckets (src/views/latency-buckets.ts): the SQL the sink writes with agrees
// with the TypeScript rule the reference uses, and sql/postgres/006 folds a database's rows of
// whole milliseconds into their buckets.
import { describe, expect, it } from 'vitest';
import { latencyBucketMs, latencyBucketSql } from '../src/views/latency-buckets.ts';
import { type LatencyRow, useViewsDatabase } from './support/views-database.ts';

const database = useViewsDatabase('dash-latbk');

describe('latency buckets', () => {
  it('has bounds two significant digits wide, never below the request time', () => {
    expect(
      [0, 42, 100, 101, 109, 110, 999, 1_000, 1_001, 1_234, 10_000, 12_345].map(latencyBucketMs),
    ).toEqual([0, 42, 100, 110, 110, 110, 1_000, 1_000, 1_100, 1_300, 10_000, 13_000]);
  });

  it('is the same rule in SQL as in TypeScript for every whole millisecond to 30 s', async () => {
    const { rows } = await database().client.query<{ ms: number; bucket: number }>(
      `select ms, ${latencyBucketSql('ms')} as bucket
       from (select g::double precision as ms from generate_series(0, 30000) g) s order by ms`,
    );
    expect(rows).toHaveLength(30_001);
    const differing = rows.filter((r) => r.bucket !== latencyBucketMs(r.ms));
    expect(differing).toEqual([]);
  });

  it('migration 006 folds the whole-millisecond rows of a migrated database into their buckets', async () => {
    const views = database();
    await views.migrateBefore('006');
    const before: LatencyRow[] = [
      ['/a', 42, 5],
      ['/a', 100, 1],
      ['/a', 101, 2],
      ['/a', 105, 1],
      ['/a', 110, 3],
      ['/a', 1_234, 1],
      ['/a', 1_299, 1],
      ['/b', 12_345, 2],
    ];
    await views.insertLatencyRows('2025-01-01T00:00:00Z', before);

    const result = await views.migrate();
    expect(result.applied).toEqual(['006_latency_buckets.sql']);

    expect(await views.latencyRows()).toEqual([
      ['/a', 42, 5],
      ['/a', 100, 1],
      ['/a', 110, 6],
      ['/a', 1_300, 2],
      ['/b', 13_000, 2],
    ]);
    expect(await views.latencyView()).toEqual([
      { route: '/a', requests: 14, p50_ms: 110, p95_ms: 1_300, p99_ms: 1_300 },
      { route: '/b', requests: 2, p50_ms: 13_000, p95_ms: 13_000, p99_ms: 13_000 },
    ]);
  });
});

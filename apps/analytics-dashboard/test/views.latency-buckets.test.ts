// The latency view's buckets (src/views/latency-buckets.ts): the SQL the sink writes with agrees
// with the TypeScript rule the reference uses, and sql/postgres/006 folds a database's rows of
// whole milliseconds into their buckets.
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { latencyBucketMs, latencyBucketSql } from '../src/views/latency-buckets.ts';
import { migrateViews, postgresViewsMigrationsTable } from '../src/views/migrate-views.ts';
import { readEngineSql } from '../src/views/sql-files.ts';

const infra = inject('infrastructure');
let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'dash-latbk');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('latency buckets', () => {
  it('has bounds two significant digits wide, never below the request time', () => {
    expect(
      [0, 42, 100, 101, 109, 110, 999, 1_000, 1_001, 1_234, 10_000, 12_345].map(latencyBucketMs),
    ).toEqual([0, 42, 100, 110, 110, 110, 1_000, 1_000, 1_100, 1_300, 10_000, 13_000]);
  });

  it('is the same rule in SQL as in TypeScript for every whole millisecond to 30 s', async () => {
    const { rows } = await client.query<{ ms: number; bucket: number }>(
      `select ms, ${latencyBucketSql('ms')} as bucket
       from (select g::double precision as ms from generate_series(0, 30000) g) s order by ms`,
    );
    expect(rows).toHaveLength(30_001);
    const differing = rows.filter((r) => r.bucket !== latencyBucketMs(r.ms));
    expect(differing).toEqual([]);
  });

  it('migration 006 folds the whole-millisecond rows of a migrated database into their buckets', async () => {
    const earlier = (await readEngineSql('postgres')).filter((f) => f.name < '006');
    for (const file of earlier) await client.query(file.sql);
    await client.query(
      `create table ${postgresViewsMigrationsTable} (name text primary key, applied_at timestamptz not null default now())`,
    );
    for (const file of earlier)
      await client.query(`insert into ${postgresViewsMigrationsTable} (name) values ($1)`, [file.name]);
    const minute = '2025-01-01T00:00:00Z';
    // [route, request time (ms), requests]
    const before: [string, number, number][] = [
      ['/a', 42, 5],
      ['/a', 100, 1],
      ['/a', 101, 2],
      ['/a', 105, 1],
      ['/a', 110, 3],
      ['/a', 1_234, 1],
      ['/a', 1_299, 1],
      ['/b', 12_345, 2],
    ];
    for (const [route, ms, requests] of before)
      await client.query('insert into dash_latency_1m values ($1, $2, $3, $4)', [
        minute,
        route,
        ms,
        requests,
      ]);

    const result = await migrateViews({ engine: 'postgres', url: db.url, logsTopic: '', kafkaBootstrap: '' });
    expect(result.applied).toEqual(['006_latency_buckets.sql']);

    const rows = await client.query<{ route: string; duration_ms: number; requests: string }>(
      'select route, duration_ms, requests from dash_latency_1m order by route, duration_ms',
    );
    expect(rows.rows.map((r) => [r.route, r.duration_ms, Number(r.requests)])).toEqual([
      ['/a', 42, 5],
      ['/a', 100, 1],
      ['/a', 110, 6],
      ['/a', 1_300, 2],
      ['/b', 13_000, 2],
    ]);
    const view = await client.query(
      'select route, requests::int, p50_ms, p95_ms, p99_ms from latency_per_route_per_minute order by route',
    );
    expect(view.rows).toEqual([
      { route: '/a', requests: 14, p50_ms: 110, p95_ms: 1_300, p99_ms: 1_300 },
      { route: '/b', requests: 2, p50_ms: 13_000, p95_ms: 13_000, p99_ms: 13_000 },
    ]);
  });
});

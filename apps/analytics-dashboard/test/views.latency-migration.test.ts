// sql/postgres/004: a database migrated before request times were whole milliseconds (its
// histogram holds microsecond request times) gets them folded into their millisecond, halves up,
// like the shipper rounds (src/shipper/request-time.ts), and the view follows.
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wholeMilliseconds } from '../src/shipper/request-time.ts';
import { migrateViews, postgresViewsMigrationsTable } from '../src/views/migrate-views.ts';
import { readEngineSql } from '../src/views/sql-files.ts';

const infra = inject('infrastructure');
let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'dash-latms');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const minute = '2025-01-01T00:00:00Z';
// [route, request time (ms), requests]
const before: [string, number, number][] = [
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
    const earlier = (await readEngineSql('postgres')).filter((f) => f.name < '004');
    for (const file of earlier) await client.query(file.sql);
    await client.query(
      `create table ${postgresViewsMigrationsTable} (name text primary key, applied_at timestamptz not null default now())`,
    );
    for (const file of earlier)
      await client.query(`insert into ${postgresViewsMigrationsTable} (name) values ($1)`, [file.name]);
    for (const [route, ms, requests] of before)
      await client.query('insert into dash_latency_1m values ($1, $2, $3, $4)', [
        minute,
        route,
        ms,
        requests,
      ]);

    const result = await migrateViews({ engine: 'postgres', url: db.url, logsTopic: '', kafkaBootstrap: '' });
    expect(result.applied[0]).toBe('004_latency_whole_ms.sql'); // then the later ones

    // the expected histogram, folded with the shipper's own rule
    const expected = new Map<string, number>();
    for (const [route, ms, requests] of before) {
      const key = `${route} ${wholeMilliseconds(ms)}`;
      expected.set(key, (expected.get(key) ?? 0) + requests);
    }
    const rows = await client.query<{ route: string; duration_ms: number; requests: string }>(
      'select route, duration_ms, requests from dash_latency_1m order by route, duration_ms',
    );
    expect(new Map(rows.rows.map((r) => [`${r.route} ${r.duration_ms}`, Number(r.requests)]))).toEqual(
      expected,
    );
    expect(expected.get('/b 3'), 'halves up, not to even').toBe(3);

    const view = await client.query(
      'select route, requests::int, p50_ms, p95_ms, p99_ms from latency_per_route_per_minute order by route',
    );
    expect(view.rows).toEqual([
      { route: '/a', requests: 10, p50_ms: 42, p95_ms: 43, p99_ms: 43 },
      { route: '/b', requests: 7, p50_ms: 3, p95_ms: 7, p99_ms: 7 },
    ]);
  });
});

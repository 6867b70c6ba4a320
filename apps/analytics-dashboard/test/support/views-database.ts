// A private database for the views' migration tests: one in the state a user's database was left in
// by an earlier release (migrated up to a file), with latency rows written as that release wrote them.
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { postgresViewsMigrationsTable } from '../../src/views/migrate-views.ts';
import { readEngineSql } from '../../src/views/sql-files.ts';

export interface ViewsDatabase {
  readonly db: TestDatabase;
  readonly client: pg.Client;
}

/** A database of its own for this test file, created before its tests and dropped after them. */
export function useViewsDatabase(label: string): () => ViewsDatabase {
  let current: ViewsDatabase | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase(inject('infrastructure').databaseUrl, label);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    current = { db, client };
  });
  afterAll(async () => {
    await current?.client.end();
    await current?.db.drop();
  });
  return () => {
    if (current === undefined) throw new Error('the views database is not created yet (beforeAll)');
    return current;
  };
}

/** Applies and records the postgres view migrations whose names sort before `firstNotApplied`. */
export async function migrateViewsBefore(client: pg.Client, firstNotApplied: string): Promise<void> {
  const earlier = (await readEngineSql('postgres')).filter((f) => f.name < firstNotApplied);
  for (const file of earlier) await client.query(file.sql);
  await client.query(
    `create table ${postgresViewsMigrationsTable} (name text primary key, applied_at timestamptz not null default now())`,
  );
  for (const file of earlier)
    await client.query(`insert into ${postgresViewsMigrationsTable} (name) values ($1)`, [file.name]);
}

/** A latency histogram row: [route, request time (ms), requests]. */
export type LatencyRow = [route: string, ms: number, requests: number];

export async function insertLatencyRows(client: pg.Client, minute: string, rows: readonly LatencyRow[]) {
  for (const [route, ms, requests] of rows)
    await client.query('insert into dash_latency_1m values ($1, $2, $3, $4)', [minute, route, ms, requests]);
}

/** The histogram as stored: [route, request time (ms), requests], by route and time. */
export async function storedLatencyRows(client: pg.Client): Promise<LatencyRow[]> {
  const { rows } = await client.query<{ route: string; duration_ms: number; requests: string }>(
    'select route, duration_ms, requests from dash_latency_1m order by route, duration_ms',
  );
  return rows.map((r) => [r.route, r.duration_ms, Number(r.requests)]);
}

/** The latency view per route: requests and percentiles. */
export async function latencyViewRows(client: pg.Client): Promise<unknown[]> {
  const { rows } = await client.query(
    'select route, requests::int, p50_ms, p95_ms, p99_ms from latency_per_route_per_minute order by route',
  );
  return rows;
}

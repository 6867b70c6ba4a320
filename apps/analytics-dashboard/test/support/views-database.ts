// A private database for the views' migration tests: one in the state a user's database was left in
// by an earlier release (migrated up to a file), with latency rows written as that release wrote them.
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import {
  type MigrateViewsResult,
  migrateViews,
  postgresViewsMigrationsTable,
} from '../../src/views/migrate-views.ts';
import { readEngineSql } from '../../src/views/sql-files.ts';

/** A latency histogram row: [route, request time (ms), requests]. */
export type LatencyRow = [route: string, ms: number, requests: number];

export interface ViewsDatabase {
  readonly db: TestDatabase;
  readonly client: pg.Client;
  /** Applies and records the postgres view migrations whose names sort before `firstNotApplied`. */
  migrateBefore(firstNotApplied: string): Promise<void>;
  /** Applies the pending postgres view migrations, as the sink does when it starts. */
  migrate(): Promise<MigrateViewsResult>;
  insertLatencyRows(minute: string, rows: readonly LatencyRow[]): Promise<void>;
  /** The histogram as stored, by route and time. */
  latencyRows(): Promise<LatencyRow[]>;
  /** The latency view per route: requests and percentiles. */
  latencyView(): Promise<unknown[]>;
}

/** A database of its own for this test file, created before its tests and dropped after them. */
export function useViewsDatabase(label: string): () => ViewsDatabase {
  let current: ViewsDatabase | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase(inject('infrastructure').databaseUrl, label);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    current = viewsDatabase(db, client);
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

function viewsDatabase(db: TestDatabase, client: pg.Client): ViewsDatabase {
  return {
    db,
    client,
    async migrateBefore(firstNotApplied) {
      const earlier = (await readEngineSql('postgres')).filter((f) => f.name < firstNotApplied);
      for (const file of earlier) await client.query(file.sql);
      await client.query(
        `create table ${postgresViewsMigrationsTable} (name text primary key, applied_at timestamptz not null default now())`,
      );
      for (const file of earlier)
        await client.query(`insert into ${postgresViewsMigrationsTable} (name) values ($1)`, [file.name]);
    },
    migrate: () => migrateViews({ engine: 'postgres', url: db.url, logsTopic: '', kafkaBootstrap: '' }),
    async insertLatencyRows(minute, rows) {
      for (const [route, ms, requests] of rows)
        await client.query('insert into dash_latency_1m values ($1, $2, $3, $4)', [
          minute,
          route,
          ms,
          requests,
        ]);
    },
    async latencyRows() {
      const { rows } = await client.query<{ route: string; duration_ms: number; requests: string }>(
        'select route, duration_ms, requests from dash_latency_1m order by route, duration_ms',
      );
      return rows.map((r) => [r.route, r.duration_ms, Number(r.requests)]);
    },
    async latencyView() {
      const { rows } = await client.query(
        'select route, requests::int, p50_ms, p95_ms, p99_ms from latency_per_route_per_minute order by route',
      );
      return rows;
    },
  };
}

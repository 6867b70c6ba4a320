import { migrate } from '@streamkit/postgres';
import pg from 'pg';
import type { ViewsEngine } from '../common/env.ts';
import { ViewMigrationError } from './errors.ts';
import { engineSqlDir, fillPlaceholders, readEngineSql } from './sql-files.ts';
import { splitStatements } from './view-sql.ts';

export interface MigrateViewsSettings {
  readonly engine: ViewsEngine;
  /** The engine's SQL URL (DATABASE_URL, RISINGWAVE_URL or MATERIALIZE_URL). */
  readonly url: string;
  /** The logs topic the streaming engines read (with the deployment's prefix). */
  readonly logsTopic: string;
  /** Kafka bootstrap servers as the engine reaches them (in compose: the broker's service name). */
  readonly kafkaBootstrap: string;
}

export interface MigrateViewsResult {
  readonly engine: ViewsEngine;
  readonly applied: readonly string[];
}

/** The tracking table of the PostgreSQL engine's view migrations (sql/postgres). */
export const postgresViewsMigrationsTable = 'dashboard_views_migrations';

/**
 * Creates the views on the configured engine. PostgreSQL: sql/postgres, each file once, tracked.
 * RisingWave / Materialize: every statement of sql/<engine>, in order; they are all
 * `IF NOT EXISTS`, so running the command again changes nothing.
 */
export async function migrateViews(settings: MigrateViewsSettings): Promise<MigrateViewsResult> {
  if (settings.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: settings.url, max: 1 });
    pool.on('error', () => undefined);
    try {
      const result = await migrate(pool, {
        dir: engineSqlDir('postgres'),
        table: postgresViewsMigrationsTable,
      });
      return { engine: 'postgres', applied: result.applied };
    } finally {
      await pool.end();
    }
  }
  const files = await readEngineSql(settings.engine);
  const client = new pg.Client({ connectionString: settings.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (const file of files) {
      const sql = fillPlaceholders(file.sql, {
        logs_topic: settings.logsTopic,
        kafka_bootstrap: settings.kafkaBootstrap,
      });
      for (const statement of splitStatements(sql)) {
        try {
          await client.query(statement);
        } catch (error) {
          throw new ViewMigrationError(`${settings.engine} ${file.name}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
    }
    return { engine: settings.engine, applied: files.map((f) => f.name) };
  } finally {
    await client.end();
  }
}

import { migrate as applyMigrations, type MigrationResult } from '@streamkit/postgres';
import type { Pool } from 'pg';

/** The pipeline's own migrations: sql/migrations/NNN_name.sql, applied once each, in name order. */
export const migrationsDir = new URL('../../sql/migrations/', import.meta.url).pathname;

/** Applies this pipeline's pending migrations (tracked in dashboard_schema_migrations). */
export function migrate(pool: Pool): Promise<MigrationResult> {
  return applyMigrations(pool, { dir: migrationsDir, table: 'dashboard_schema_migrations' });
}

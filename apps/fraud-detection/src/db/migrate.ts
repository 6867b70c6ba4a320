import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';

/** The pipeline's own migrations: sql/migrations/NNN_name.sql, applied once each, in name order. */
export const migrationsDir = new URL('../../sql/migrations/', import.meta.url).pathname;

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that several
 * services starting at once (compose, demo) apply each file exactly once.
 */
export async function migrate(pool: Pool, dir: string = migrationsDir): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  try {
    // one lock id per pipeline: fraud's migrations never wait on another pipeline's
    await client.query('select pg_advisory_lock(hashtext($1))', ['streamkit.fraud.migrations']);
    await client.query(
      `create table if not exists fraud_schema_migrations (
         name text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await client.query<{ name: string }>('select name from fraud_schema_migrations')).rows.map(
        (r) => r.name,
      ),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(join(dir, file), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into fraud_schema_migrations (name) values ($1)', [file]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return { applied, alreadyApplied: files.filter((f) => done.has(f)) };
  } finally {
    await client
      .query('select pg_advisory_unlock(hashtext($1))', ['streamkit.fraud.migrations'])
      .catch(() => undefined);
    client.release();
  }
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { withAdvisoryLock } from './advisory-lock.ts';

export interface MigrationSettings {
  /** The folder of `NNN_name.sql` files, applied once each in name order. */
  readonly dir: string;
  /** The pipeline's own tracking table (e.g. `fraud_schema_migrations`), so pipelines can share a database. */
  readonly table: string;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

const TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock named after the
 * tracking table, so several services starting at once (compose, demo) apply each file exactly once
 * and one pipeline's migrations never wait on another's.
 */
export async function migrate(pool: Pool, settings: MigrationSettings): Promise<MigrationResult> {
  if (!TABLE.test(settings.table))
    throw new Error(`migration table ${JSON.stringify(settings.table)} is not a plain identifier`);
  const files = (await readdir(settings.dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return withAdvisoryLock(pool, `streamkit.migrations.${settings.table}`, async (client) => {
    await client.query(
      `create table if not exists ${settings.table} (name text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await client.query<{ name: string }>(`select name from ${settings.table}`)).rows.map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(join(settings.dir, file), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query(`insert into ${settings.table} (name) values ($1)`, [file]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return { applied, alreadyApplied: files.filter((f) => done.has(f)) };
  });
}

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, migrate, runMigrateCommand } from '../src/index.ts';

const dir = new URL('./fixtures/migrations/', import.meta.url).pathname;
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'pgkit');
  pool = createPool(db.url, { max: 4 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('migrate', () => {
  it('applies each file once, in order, even when several callers start at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrate(pool, { dir, table: 'test_migrations' })));
    expect(results.flatMap((r) => r.applied)).toEqual(['001_things.sql', '002_seed.sql']);
    const again = await migrate(pool, { dir, table: 'test_migrations' });
    expect(again).toEqual({ applied: [], alreadyApplied: ['001_things.sql', '002_seed.sql'] });
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from things');
    expect(rows[0]?.n).toBe(2);
  });

  it('rolls a failing migration back and names it', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(bad, '001_ok.sql'), 'create table kept (id int);');
    await writeFile(join(bad, '002_broken.sql'), 'create table lost (id int); select 1/0;');
    await expect(migrate(pool, { dir: bad, table: 'bad_migrations' })).rejects.toThrow(
      /002_broken\.sql failed: division by zero/,
    );
    const { rows } = await pool.query<{ t: string | null }>(`select to_regclass('lost')::text as t`);
    expect(rows[0]?.t).toBeNull();
    const kept = await pool.query<{ name: string }>('select name from bad_migrations');
    expect(kept.rows.map((r) => r.name)).toEqual(['001_ok.sql']);
  });

  it('rejects a tracking table name that is not a plain identifier', async () => {
    await expect(migrate(pool, { dir, table: 'x; drop table things' })).rejects.toThrow(
      /not a plain identifier/,
    );
  });
});

describe('runMigrateCommand', () => {
  it('prints what it applied and returns 0, or the failure and 1', async () => {
    const fresh = await createTestDatabase(inject('infrastructure').databaseUrl, 'pgcmd');
    try {
      const lines: string[] = [];
      const ok = await runMigrateCommand(
        fresh.url,
        (p) => migrate(p, { dir, table: 'cmd_migrations' }),
        (l) => lines.push(l),
      );
      expect(ok).toBe(0);
      expect(lines).toEqual(['migrations: 2 applied (001_things.sql, 002_seed.sql), 0 already applied']);
      const failed = await runMigrateCommand(
        fresh.url,
        async () => {
          throw new Error('migration 003_x.sql failed: boom');
        },
        (l) => lines.push(l),
      );
      expect(failed).toBe(1);
      expect(lines.at(-1)).toBe('migration 003_x.sql failed: boom');
    } finally {
      await fresh.drop();
    }
  });
});

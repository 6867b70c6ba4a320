// acquirePool against the real PostgreSQL: opened through the service's acquire, migrated, ended at close.
import { type Logger, type ServiceContext, silentLogger } from '@streamkit/runtime';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { acquirePool } from '../src/index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'pg-acquire');
});
afterAll(async () => {
  await db?.drop();
});

describe('acquirePool', () => {
  it('acquires the pool then its migrations, under the given name, and ends the pool at release', async () => {
    const acquired: string[] = [];
    const releases: (() => Promise<unknown> | unknown)[] = [];
    const acquire: ServiceContext<unknown>['acquire'] = async (name, open, close) => {
      acquired.push(name);
      const value = await open();
      if (close !== undefined) releases.push(() => close(value));
      return value;
    };
    const pool = await acquirePool({ acquire, logger: silentLogger }, db.url, {
      max: 2,
      name: 'views pool',
      migrate: (p: pg.Pool) => p.query('create table migrated (id int)'),
    });
    expect(acquired).toEqual(['views pool', 'views pool migrations']);
    expect((await pool.query('select count(*)::int as n from migrated')).rows).toEqual([{ n: 0 }]);
    expect(pool.options.max).toBe(2);
    for (const release of releases.reverse()) await release();
    expect(pool.ended).toBe(true);
  });

  it('logs an idle connection that fails as a warning instead of crashing', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (message, fields) => warnings.push(`${message} ${fields?.pool}`),
    };
    const pool = await acquirePool({ acquire: async (_name, open) => open(), logger }, db.url, { max: 1 });
    const idle = await pool.connect();
    const { rows } = await idle.query<{ pid: number }>('select pg_backend_pid() as pid');
    idle.release();
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    await other.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    await other.end();
    await expect.poll(() => warnings).toEqual(['idle Postgres connection failed postgres']);
    await pool.end();
  });
});

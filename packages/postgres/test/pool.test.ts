import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, withPool } from '../src/index.ts';

let db: TestDatabase;
let pool: Pool;
let admin: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'pgpool');
  pool = createPool(db.url, { max: 2 });
  admin = createPool(db.url, { max: 1 });
});
afterAll(async () => {
  await Promise.all([pool?.end(), admin?.end()]);
  await db?.drop();
});

describe('createPool', () => {
  it('a checked-out client whose connection is terminated fails its queries, not the process', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const ended = new Promise((resolve) => client.once('end', resolve));
    // what a PostgreSQL restart does to every connection: without a listener pg's 'error' event on
    // the checked-out client is thrown (vitest reports it as an unhandled error and fails the run)
    await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    await ended;
    await expect(client.query('select 1')).rejects.toThrow();
    client.release();
    // the broken client was discarded: the pool serves the next caller on a fresh connection
    const again = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(again.rows[0]?.pid).not.toBe(rows[0]?.pid);
  });
});

describe('withPool', () => {
  it('answers what its callback returns and ends the pool, also when the callback fails', async () => {
    let used: Pool | undefined;
    const answer = await withPool(db.url, { max: 1 }, async (p) => {
      used = p;
      return (await p.query<{ n: number }>('select 41 + 1 as n')).rows[0]?.n;
    });
    expect(answer).toBe(42);
    expect(used?.ended).toBe(true);
    await expect(
      withPool(db.url, { max: 1 }, async (p) => {
        used = p;
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(used?.ended).toBe(true);
  });
});

// The shared retention pieces on a real PostgreSQL: batched deletes, the replicas' advisory lock,
// and wall-clock cutoffs that a far-future row cannot move.
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createPool, deleteInBatches, pruneTables, tryWithAdvisoryLock } from '../src/index.ts';

const DAY = 86_400_000;
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'pgret');
  pool = createPool(db.url, { max: 4 });
  await pool.query(
    'create table readings (id int primary key, ts timestamptz not null, kept boolean not null)',
  );
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** `old` rows 40 days old, `recent` rows 1 day old, ids from 0. */
async function seed(old: number, recent: number): Promise<void> {
  await pool.query('truncate readings');
  await pool.query(
    `insert into readings (id, ts, kept)
     select i, now() - case when i < $1::int then interval '40 days' else interval '1 day' end, i % 2 = 0
     from generate_series(0, $1::int + $2::int - 1) as i`,
    [old, recent],
  );
}

const ids = async (where = 'true') =>
  (await pool.query<{ id: number }>(`select id from readings where ${where} order by id`)).rows.map(
    (r) => r.id,
  );

describe('deleteInBatches', () => {
  beforeEach(() => seed(250, 50));

  it('deletes exactly the matching rows, a batch at a time, up to maxBatches per call', async () => {
    const cutoff = [new Date(Date.now() - 30 * DAY)];
    const rows = { table: 'readings', where: 'ts < $1', params: cutoff };
    // 2 batches of 100: 200 of the 250 old rows, the rest at the next call
    expect(await deleteInBatches(pool, rows, { batchRows: 100, maxBatches: 2, pauseMs: 0 })).toBe(200);
    expect(await ids("ts < now() - interval '30 days'")).toHaveLength(50);
    expect(await deleteInBatches(pool, rows, { batchRows: 100, maxBatches: 2, pauseMs: 0 })).toBe(50);
    expect(await ids()).toEqual(Array.from({ length: 50 }, (_, i) => 250 + i));
  });

  it('goes on past a batch that lost rows to concurrent updates (their ctid moved)', async () => {
    // another session updates ten old rows and holds them while the first batch tries to delete them
    const other = await pool.connect();
    await other.query('begin');
    await other.query('update readings set kept = not kept where id < 10');
    let first = true;
    const racing = {
      query: async (text: string, values?: unknown[]) => {
        if (!first) return pool.query(text, values);
        first = false;
        const batch = pool.query(text, values);
        const waiting = `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        await expect.poll(async () => (await pool.query(waiting)).rows[0].n).toBe(1);
        await other.query('commit'); // the batch skips the ten (moved), deletes 90 of its 100
        other.release();
        return batch;
      },
    };
    const rows = { table: 'readings', where: "ts < now() - interval '30 days'" };
    expect(await deleteInBatches(racing, rows, { batchRows: 100, pauseMs: 0 })).toBe(250);
    expect(await ids()).toEqual(Array.from({ length: 50 }, (_, i) => 250 + i));
  });

  it('stops before the next batch once its signal aborted', async () => {
    const stop = new AbortController();
    const counting = {
      query: async (text: string, values?: unknown[]) => {
        const result = await pool.query(text, values);
        stop.abort(); // a shutdown during the first batch
        return result;
      },
    };
    const rows = { table: 'readings', where: "ts < now() - interval '30 days'" };
    expect(await deleteInBatches(counting, rows, { batchRows: 100, pauseMs: 0 }, stop.signal)).toBe(100);
    expect(await ids()).toHaveLength(200);
  });

  it('refuses a table name that is not a plain identifier and nonsense limits, naming them', async () => {
    await expect(
      deleteInBatches(pool, { table: 'readings; drop table x', where: 'true' }, { batchRows: 1 }),
    ).rejects.toThrow(/not a plain identifier/);
    await expect(
      deleteInBatches(pool, { table: 'readings', where: 'true' }, { batchRows: 0, pauseMs: -1 }),
    ).rejects.toThrow(/batchRows must be a positive integer, got 0; pauseMs must be a number >= 0/);
    expect(await ids()).toHaveLength(300);
  });
});

describe('pruneTables', () => {
  it('deletes what is older than the retention behind the wall clock, only where allowed', async () => {
    await seed(20, 10);
    const deleted = await pruneTables(
      pool,
      [{ family: 'readings', table: 'readings', column: 'ts', retentionMs: 30 * DAY, onlyWhere: 'not kept' }],
      { limits: { batchRows: 3 } },
    );
    expect(deleted).toEqual({ readings: 10 });
    // the old rows marked kept stay, every recent row stays
    expect(await ids()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => 2 * i),
      ...Array.from({ length: 10 }, (_, i) => 20 + i),
    ]);
  });

  it('is not moved by a row dated far in the future: the cutoff comes from the clock, not the data', async () => {
    await seed(5, 10);
    await pool.query(`insert into readings (id, ts, kept) values (999, '2099-01-01T00:00:00Z', false)`);
    const deleted = await pruneTables(
      pool,
      [{ family: 'readings', table: 'readings', column: 'ts', retentionMs: 30 * DAY }],
      { limits: { batchRows: 100 } },
    );
    expect(deleted).toEqual({ readings: 5 });
    expect(await ids()).toEqual([...Array.from({ length: 10 }, (_, i) => 5 + i), 999]);
  });

  it('refuses a negative retention, naming the family', async () => {
    await expect(
      pruneTables(pool, [{ family: 'x', table: 'readings', column: 'ts', retentionMs: -1 }], {
        limits: { batchRows: 1 },
      }),
    ).rejects.toThrow(/x: retentionMs must be an integer >= 0, got -1/);
  });
});

describe('tryWithAdvisoryLock', () => {
  it('runs the work of one caller at a time; the others skip instead of waiting', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = tryWithAdvisoryLock(pool, 'test.prune', async (client) => {
      await held;
      return (await client.query<{ one: number }>('select 1 as one')).rows[0]?.one;
    });
    // held once the first caller's session shows the lock (in this test's own database)
    const advisoryLocks = `select count(*)::int as n from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
    await expect.poll(async () => (await pool.query(advisoryLocks)).rows[0].n).toBe(1);
    expect(await tryWithAdvisoryLock(pool, 'test.prune', async () => 'second')).toEqual({ acquired: false });
    // another name is another lock
    expect(await tryWithAdvisoryLock(pool, 'test.other', async () => 'other')).toEqual({
      acquired: true,
      value: 'other',
    });
    release();
    expect(await first).toEqual({ acquired: true, value: 1 });
    expect(await tryWithAdvisoryLock(pool, 'test.prune', async () => 'third')).toEqual({
      acquired: true,
      value: 'third',
    });
  });

  it('releases the lock when the work fails', async () => {
    await expect(
      tryWithAdvisoryLock(pool, 'test.failing', async () => {
        throw new Error('prune failed');
      }),
    ).rejects.toThrow('prune failed');
    expect(await tryWithAdvisoryLock(pool, 'test.failing', async () => 'again')).toEqual({
      acquired: true,
      value: 'again',
    });
  });
});

// The one hot reloader behind the rules and the model, against the real PostgreSQL: NOTIFY reloads at
// once, the poll alone still finds a change, and a failed load keeps the last good value until a
// later load succeeds.
import { createPool } from '@streamkit/postgres';
import { silentLogger } from '@streamkit/runtime';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHotReloader, type HotReloader } from '../src/detector/hot-reloader.ts';

const CHANNEL = 'hot_reloader_test';
let db: TestDatabase;
let pool: pg.Pool;
const running: HotReloader<number>[] = [];
let loads = 0;

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'fraud-reloader');
  pool = createPool(db.url, { max: 4 });
  await pool.query('create table setting (value integer not null)');
  await pool.query('insert into setting values (1)');
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await pool.query('alter table if exists setting_moved rename to setting');
  await pool.query('update setting set value = 1');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function readSetting(): Promise<number> {
  loads++;
  const { rows } = await pool.query<{ value: number }>('select value from setting');
  return rows[0]?.value ?? 0;
}

async function startReloader(pollIntervalMs: number, changes: number[] = []): Promise<HotReloader<number>> {
  const reloader = createHotReloader<number>({
    pool,
    channel: CHANNEL,
    pollIntervalMs,
    load: readSetting,
    onChange: (next) => changes.push(next),
    logger: silentLogger,
    what: 'setting',
  });
  running.push(reloader);
  const before = loads;
  await reloader.start();
  // the first load, then the one LISTEN's connection triggers: a change made after them is new to it
  await expect.poll(() => loads).toBeGreaterThanOrEqual(before + 2);
  return reloader;
}

describe('hot reloader', () => {
  it('loads at start, and a NOTIFY reloads at once (the poll is far beyond the deadline)', async () => {
    const changes: number[] = [];
    const reloader = await startReloader(600_000, changes);
    expect(reloader.current()).toBe(1);
    await pool.query('update setting set value = 2');
    await pool.query(`select pg_notify('${CHANNEL}', '')`);
    await expect.poll(() => reloader.current(), { timeout: 5000 }).toBe(2);
    expect(changes).toEqual([1, 2]);
  });

  it('without NOTIFY, the poll picks the change up', async () => {
    const reloader = await startReloader(100);
    await pool.query('update setting set value = 3');
    await expect.poll(() => reloader.current(), { timeout: 5000 }).toBe(3);
  });

  it('a failed load keeps the last good value and is retried until it succeeds', async () => {
    const reloader = await startReloader(100);
    expect(reloader.current()).toBe(1);
    await pool.query('alter table setting rename to setting_moved');
    await expect(reloader.reload()).rejects.toThrow(/setting/);
    expect(reloader.current()).toBe(1);
    const failedAt = loads;
    // the poll keeps trying while the table is gone
    await expect.poll(() => loads, { timeout: 5000 }).toBeGreaterThan(failedAt + 1);
    expect(reloader.current()).toBe(1);
    await pool.query('update setting_moved set value = 4');
    await pool.query('alter table setting_moved rename to setting');
    await expect.poll(() => reloader.current(), { timeout: 5000 }).toBe(4);
  });

  it('refuses a start when the first load fails', async () => {
    await pool.query('alter table setting rename to setting_moved');
    await expect(startReloader(100)).rejects.toThrow(/setting/);
  });

  it('rejects a poll interval that is not a positive integer', () => {
    expect(() =>
      createHotReloader({
        pool,
        channel: CHANNEL,
        pollIntervalMs: 0,
        load: readSetting,
        logger: silentLogger,
        what: 'setting',
      }),
    ).toThrow(/pollIntervalMs/);
  });
});

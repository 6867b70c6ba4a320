import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, withAdvisoryLock } from '../src/index.ts';

let db: TestDatabase;
// two pools: two processes starting at the same time (compose, a demo, a second replica)
let first: Pool;
let second: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'pglock');
  first = createPool(db.url, { max: 2 });
  second = createPool(db.url, { max: 2 });
});
afterAll(async () => {
  await Promise.all([first?.end(), second?.end()]);
  await db?.drop();
});

describe('withAdvisoryLock', () => {
  it('runs one holder of a name at a time; the second sees what the first did', async () => {
    await first.query('create table models (version text primary key)');
    const events: string[] = [];
    // "train a model unless there is one": the pattern of the pipelines' model-init steps
    const initOnce = (pool: Pool, who: string) =>
      withAdvisoryLock(pool, 'test.model-init', async (client) => {
        events.push(`${who} in`);
        const { rowCount } = await client.query('select 1 from models');
        if (rowCount === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          await pool.query('insert into models values ($1)', [`v-${who}`]);
        }
        events.push(`${who} out`);
        return rowCount === 0 ? 'trained' : 'found';
      });
    const outcomes = await Promise.all([initOnce(first, 'a'), initOnce(second, 'b')]);
    expect(outcomes.sort()).toEqual(['found', 'trained']);
    expect((await first.query('select version from models')).rowCount).toBe(1);
    // never both inside: each "in" is followed by its own "out"
    expect(events).toHaveLength(4);
    expect(events[1]?.replace(' out', '')).toBe(events[0]?.replace(' in', ''));
  });

  it('releases the lock when the work fails, and other names never wait on it', async () => {
    await expect(
      withAdvisoryLock(first, 'test.failing', async () => {
        // a different name is free meanwhile
        await withAdvisoryLock(second, 'test.other', async () => undefined);
        throw new Error('trainer crashed');
      }),
    ).rejects.toThrow('trainer crashed');
    await expect(withAdvisoryLock(second, 'test.failing', async () => 'next')).resolves.toBe('next');
    const held = await first.query(`select count(*)::int as n from pg_locks where locktype = 'advisory'
      and database = (select oid from pg_database where datname = current_database())`);
    expect(held.rows[0]?.n).toBe(0);
  });
});

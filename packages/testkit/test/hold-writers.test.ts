import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { holdWritersOf } from '../src/hold-writers.ts';
import { createTestDatabase, type TestDatabase } from '../src/test-database.ts';

const { databaseUrl } = inject('infrastructure');
let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(databaseUrl, 'testkit-hold');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('create table held (id int primary key)');
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('holdWritersOf', () => {
  it('keeps each writing statement’s transaction open for the hold, then lets it commit', async () => {
    await holdWritersOf(client, 'held', { events: 'insert', longMs: 300, longChance: 1 });
    const started = Date.now();
    await client.query('insert into held values (1)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await client.query('select id from held')).rows).toEqual([{ id: 1 }]);
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(holdWritersOf(client, 'held; drop table held')).rejects.toThrow(/plain identifier/);
  });
});

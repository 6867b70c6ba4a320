import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../src/test-database.ts';

const { databaseUrl } = inject('infrastructure');

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates a fresh database reachable at its url, and drops it even with a connection open', async () => {
    const db = await createTestDatabase(databaseUrl, 'testkit-db');
    expect(db.url.endsWith(`/${db.name}`)).toBe(true);
    expect(await databaseExists(db.name)).toBe(true);

    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined); // the forced drop terminates this session
    await client.connect();
    await client.query('create table t (id int primary key)');
    await client.query('insert into t values (1), (2)');
    const { rows } = await client.query('select current_database() as name, count(*)::int as n from t');
    expect(rows).toEqual([{ name: db.name, n: 2 }]);

    await db.drop();
    await db.drop(); // idempotent
    expect(await databaseExists(db.name)).toBe(false);
    await client.end().catch(() => undefined);
  });
});

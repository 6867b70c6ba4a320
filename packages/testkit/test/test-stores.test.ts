import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { openTestStores } from '../src/test-stores.ts';
import { uniqueName } from '../src/unique-name.ts';

const infra = inject('infrastructure');

describe('openTestStores', () => {
  it("opens a prepared database, Redis and a Kafka admin; close() leaves none of the test's data behind", async () => {
    const name = uniqueName('testkit-stores');
    const keyPrefix = `${name}:`;
    const stores = await openTestStores(infra, {
      databasePrefix: 'testkit-stores',
      async openPool(url) {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        await pool.query('create table t (id int primary key)');
        return pool;
      },
      keyPrefix,
      topics: [name],
    });
    await stores.pool.query('insert into t values (1)');
    await stores.redis.set(`${keyPrefix}a`, '1');
    await stores.admin.createTopics([name], 1);

    await stores.close();

    const other = new Redis(infra.redisUrl);
    try {
      expect(await other.exists(`${keyPrefix}a`)).toBe(0);
    } finally {
      other.disconnect();
    }
    const client = new pg.Client({ connectionString: infra.databaseUrl });
    await client.connect();
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
        stores.db.name,
      ]);
      expect(rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});

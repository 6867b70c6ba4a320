import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commitConcurrently } from '../src/concurrent-commits.ts';
import { createTestDatabase, type TestDatabase } from '../src/test-database.ts';

const { databaseUrl } = inject('infrastructure');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(databaseUrl, 'testkit-commits');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('create table t (writer int, round int, primary key (writer, round))');
  await client.end();
});
afterAll(() => db?.drop());

describe('commitConcurrently', () => {
  it('commits each writer’s transactions on its own connection, held open at the same time', async () => {
    const { committed, aborted } = await commitConcurrently({
      databaseUrl: db.url,
      writers: 3,
      durationMs: 400,
      work: async (client, { writer, round }) => {
        await client.query('insert into t values ($1, $2)', [writer, round]);
        return { key: `${writer}/${round}`, began: Date.now() };
      },
      holdMs: ({ writer }) => 50 + writer * 20,
    });
    expect(aborted).toBe(0);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ key: string }>(`select writer || '/' || round as key from t`);
    await client.end();
    expect(rows.map((r) => r.key).sort()).toEqual(committed.map((c) => c.value.key).sort());
    expect(new Set(committed.map((c) => c.writer))).toEqual(new Set([0, 1, 2]));
    // transactions of different writers were open at the same time
    const overlapping = committed.some((a) =>
      committed.some(
        (b) => a.writer < b.writer && a.value.began < b.commitSentAt && b.value.began < a.commitSentAt,
      ),
    );
    expect(overlapping).toBe(true);
  });

  it('fails the run on an error that is not a lost race', async () => {
    await expect(
      commitConcurrently({
        databaseUrl: db.url,
        writers: 1,
        durationMs: 100,
        work: (client) => client.query('select * from no_such_table'),
        holdMs: () => 0,
      }),
    ).rejects.toThrow(/no_such_table/);
  });
});

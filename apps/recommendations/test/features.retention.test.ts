// Retention of the feature store on real PostgreSQL and Redis: after a prune exactly the expired
// offline-store rows (by arrival, so a 2099 event moves nothing) and the co-occurrence keys of
// products not in the catalog are gone; the trainer keeps the similarity of the newest versions.
import { createPool } from '@streamkit/postgres';
import { silentLogger } from '@streamkit/runtime';
import { createTestDatabase, sampleValue } from '@streamkit/testkit';
import { describe, expect, inject, it } from 'vitest';
import { productId } from '../src/catalog/index.ts';
import { recsRedisKeys } from '../src/common/redis-keys.ts';
import { migrate } from '../src/db/migrate.ts';
import { removeUnknownProductKeys } from '../src/features/cooccurrence-retention.ts';
import { pruneFeatureStore } from '../src/features/retention.ts';
import { pruneSimilarity } from '../src/trainer/similarity-retention.ts';
import { useFeaturesEnv } from './features.harness.ts';

const DAY = 86_400_000;
const retention = { eventsRetentionMs: 14 * DAY, snapshotsRetentionMs: 14 * DAY, batchRows: 2 };
const env = useFeaturesEnv('recs-ret');

/** An event row as the worker writes it, `ingestedDaysAgo` days ago, about `ts`. */
async function event(id: string, ts: string, ingestedDaysAgo: number): Promise<void> {
  await env().pool.query(
    `INSERT INTO recs_events (event_id, type, user_id, session_id, product_id, ts, kafka_partition, kafka_offset, ingested_at)
     VALUES ($1, 'view', 'u-1', 's-1', $2, $3, 0, 0, now() - $4 * interval '1 day')`,
    [id, productId(0), ts, ingestedDaysAgo],
  );
}

async function snapshot(userId: string, featureTs: string, capturedDaysAgo: number): Promise<void> {
  await env().pool.query(
    `INSERT INTO recs_user_feature_snapshots (user_id, feature_ts, features, captured_at)
     VALUES ($1, $2, '{}', now() - $3 * interval '1 day')`,
    [userId, featureTs, capturedDaysAgo],
  );
}

const column = async (sql: string) => (await env().pool.query<{ v: string }>(sql)).rows.map((r) => r.v);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('feature store retention', () => {
  it('deletes exactly the expired rows and the co-occurrence keys of unknown products', async () => {
    await event('e-old-1', daysAgo(20), 20);
    await event('e-old-2', daysAgo(15), 15);
    // generated history: old event times, arrived an hour ago; it stays for the whole retention
    await event('e-history', daysAgo(60), 0.04);
    // a broken clock: it must not make everything else look old
    await event('e-2099', '2099-01-01T00:00:00Z', 0);
    await event('e-new', daysAgo(0), 0);
    await snapshot('u-1', daysAgo(20), 20);
    await snapshot('u-1', daysAgo(1), 1);
    await snapshot('u-2', '2099-01-01T00:00:00Z', 0);

    const { keys, redis } = env();
    const other = recsRedisKeys(`${env().keyPrefix}other:`); // another deployment's keys: not ours to prune
    await redis.zincrby(keys.cooccurrence(productId(0)), 2, productId(1));
    await redis.zincrby(keys.cooccurrence(productId(1)), 2, productId(0));
    await redis.zincrby(keys.cooccurrence('p-not-in-catalog'), 1, productId(0));
    await redis.zincrby(keys.cooccurrence('odd:id*with[glob]'), 1, productId(0));
    await redis.zincrby(other.cooccurrence('p-not-in-catalog'), 1, productId(0));
    await redis.sadd(keys.sessionItems('p-not-in-catalog'), productId(0));

    const removed = await pruneFeatureStore(
      { redis, pool: env().pool, keys, logger: silentLogger },
      retention,
    );
    expect(removed).toEqual({
      recs_events: 2,
      recs_user_feature_snapshots: 1,
      recs_cooccurrence_unknown_keys: 2,
    });
    expect(await column('SELECT event_id AS v FROM recs_events ORDER BY event_id')).toEqual([
      'e-2099',
      'e-history',
      'e-new',
    ]);
    expect(
      await column(
        `SELECT user_id || '@' || to_char(feature_ts, 'YYYY') AS v FROM recs_user_feature_snapshots ORDER BY 1`,
      ),
    ).toEqual([`u-1@${daysAgo(1).slice(0, 4)}`, 'u-2@2099']);
    const left = async (key: string) => (await redis.exists(key)) === 1;
    expect(await left(keys.cooccurrence(productId(0)))).toBe(true);
    expect(await left(keys.cooccurrence(productId(1)))).toBe(true);
    expect(await left(keys.cooccurrence('p-not-in-catalog'))).toBe(false);
    expect(await left(keys.cooccurrence('odd:id*with[glob]'))).toBe(false);
    expect(await left(other.cooccurrence('p-not-in-catalog'))).toBe(true);
    expect(await left(keys.sessionItems('p-not-in-catalog'))).toBe(true);

    expect(
      await pruneFeatureStore({ redis, pool: env().pool, keys, logger: silentLogger }, retention),
    ).toEqual({
      recs_events: 0,
      recs_user_feature_snapshots: 0,
      recs_cooccurrence_unknown_keys: 0,
    });
  });

  it('leaves every co-occurrence key alone while the catalog is empty', async () => {
    const empty = await createTestDatabase(inject('infrastructure').databaseUrl, 'recs_nocat');
    const pool = createPool(empty.url, { max: 2 });
    try {
      await migrate(pool);
      const key = env().keys.cooccurrence(productId(2));
      await env().redis.zincrby(key, 1, productId(3));
      const warnings: string[] = [];
      const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
      expect(await removeUnknownProductKeys({ redis: env().redis, pool, keys: env().keys, logger })).toBe(0);
      expect(await env().redis.exists(key)).toBe(1);
      expect(warnings).toEqual(['retention: the catalog is empty; co-occurrence keys left alone']);
    } finally {
      await pool.end();
      await empty.drop();
    }
  });

  it('the features service prunes on its own schedule and counts it in /metrics', async () => {
    await event('e-expired-later', daysAgo(30), 30);
    await env().redis.zincrby(env().keys.cooccurrence('p-gone-later'), 1, productId(0));
    const worker = await env().startWorker({ FEATURES_RETENTION_INTERVAL_MS: '100' });
    await expect
      .poll(
        async () => [
          await column(`SELECT event_id AS v FROM recs_events WHERE event_id = 'e-expired-later'`),
          await env().redis.exists(env().keys.cooccurrence('p-gone-later')),
        ],
        { timeout: 10_000 },
      )
      .toEqual([[], 0]);
    // the rows and keys go before the run ends and counts them: wait for the counts too
    const removed = async () => {
      const metrics = await (await fetch(`${worker.address}/metrics`)).text();
      return ['recs_events', 'recs_cooccurrence_unknown_keys'].map((family) =>
        sampleValue(metrics, 'streamkit_retention_removed_total', { family }),
      );
    };
    await expect.poll(removed, { timeout: 10_000 }).toEqual([1, 1]);
  });
});

describe('item similarity retention (the trainer)', () => {
  it('keeps the similarity of the newest versions only, and every version row', async () => {
    for (const [i, version] of ['v1', 'v2', 'v3', 'v4'].entries()) {
      await env().pool.query(
        `INSERT INTO recs_models (version, created_at, model, evaluation, trained_on)
         VALUES ($1, now() - $2 * interval '1 hour', '{}', '{}', '{}')`,
        [version, 4 - i],
      );
      await env().pool.query(
        `INSERT INTO recs_item_similarity (model_version, product_id, neighbour_id, similarity)
         SELECT $1, $2, n, 0.5 FROM unnest($3::text[]) AS n`,
        [version, productId(0), [productId(1), productId(2), productId(3)]],
      );
    }
    expect(await pruneSimilarity(env().pool, { keepVersions: 2, batchRows: 2 })).toBe(6);
    expect(
      await column('SELECT model_version AS v FROM recs_item_similarity GROUP BY model_version ORDER BY 1'),
    ).toEqual(['v3', 'v4']);
    expect(await column('SELECT version AS v FROM recs_models ORDER BY version')).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
    ]);
    await expect(pruneSimilarity(env().pool, { keepVersions: 0, batchRows: 2 })).rejects.toThrow(
      /keepVersions must be an integer >= 1, got 0/,
    );
  });
});

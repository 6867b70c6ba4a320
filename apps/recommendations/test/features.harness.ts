/**
 * What every features/recommender test file needs: its own topics, Redis key prefix and
 * database (with a small seeded catalog), the real services behind them, and a way to compare the
 * online store with a reference computed from the events.
 */
import type { ConfigSpec, EnvSource } from '@streamkit/config';
import { type KafkaWithTopics, openKafkaWithTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  type RunningService,
  type ServiceConfig,
  type ServiceDefinition,
  silentLogger,
  startService,
} from '@streamkit/runtime';
import type { UserEvent } from '@streamkit/schemas';
import {
  type Infrastructure,
  type KafkaTestAdmin,
  openTestStores,
  type TestDatabase,
  uniqueName,
} from '@streamkit/testkit';
import { useFileEnv } from '@streamkit/testkit/file-env';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { expect, inject } from 'vitest';
import { type CatalogIndex, loadCatalogIndex, seedCatalog } from '../src/catalog/index.ts';
import { type RecsRedisKeys, recsRedisKeys } from '../src/common/redis-keys.ts';
import { type RecsTopics, recsTopicSpecs, recsTopics } from '../src/common/topics.ts';
import { migrate } from '../src/db/migrate.ts';
import { WINDOW_NAMES } from '../src/domain/feature-rules.ts';
import type { FeatureState } from '../src/domain/feature-state.ts';
import { readPopularity, readUserFeatures } from '../src/features/online-read.ts';
import { featuresService } from '../src/features/service.ts';
import type { FeaturesSettings } from '../src/features/settings.ts';
import { simulateHistory } from '../src/generator/index.ts';

export const PARTITIONS = 3;
export const CATALOG = { seed: 7, products: 400 };

/**
 * A seeded history over the test catalog: `users` shoppers named `<userPrefix>…` (apart from other
 * tests' shoppers), their sessions (3 per user on average by default) spread over `hours` from `startMs`.
 */
export function catalogHistory(settings: {
  readonly seed: number;
  readonly users: number;
  readonly userPrefix: string;
  readonly startMs: number;
  readonly hours: number;
  readonly sessionsPerUser?: number;
}): UserEvent[] {
  const { hours, sessionsPerUser = 3, ...shoppers } = settings;
  return simulateHistory({
    ...shoppers,
    products: CATALOG.products,
    durationMs: hours * 3_600_000,
    sessionsPerUser,
  });
}

export interface FeaturesTestEnv extends KafkaWithTopics {
  readonly infra: Infrastructure;
  readonly name: string;
  readonly topics: RecsTopics;
  readonly keyPrefix: string;
  readonly keys: RecsRedisKeys;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  readonly catalog: CatalogIndex;
  settings(overrides?: Partial<FeaturesSettings>): FeaturesSettings;
  /** Starts a service of the pipeline on this file's topics, keys and database; stopped by close(). */
  start<S extends ConfigSpec, P>(
    definition: ServiceDefinition<S, P>,
    env?: EnvSource,
  ): Promise<RunningService<ServiceConfig<S>, P>>;
  /** The features service with this file's test settings; `env` overrides them (FEATURES_*). */
  startWorker(env?: EnvSource): Promise<RunningService<unknown, unknown>>;
  /** Environment for a service of this file, in this process or a child process. */
  childEnv(): Record<string, string>;
  onClose(close: () => Promise<void>): void;
  close(): Promise<void>;
}

/** The features environment of a test file, open for all its tests: `const env = useFeaturesEnv('recs-x')`. */
export function useFeaturesEnv(label: string): () => FeaturesTestEnv {
  return useFileEnv(() => createFeaturesTestEnv(inject('infrastructure'), label));
}

export async function createFeaturesTestEnv(infra: Infrastructure, label: string): Promise<FeaturesTestEnv> {
  const name = uniqueName(label);
  const topics = recsTopics(`${name}.`);
  const keyPrefix = `${name}:`;
  const keys = recsRedisKeys(keyPrefix);
  const stores = await openTestStores(infra, {
    databasePrefix: 'recs',
    async openPool(url) {
      const pool = createPool(url, { max: 6 });
      await migrate(pool);
      await seedCatalog(pool, CATALOG);
      return pool;
    },
    keyPrefix,
    topics: [topics.events.name, `${topics.events.name}.dlq`],
  });
  const { db, pool, redis, admin } = stores;
  const catalog = await loadCatalogIndex(pool);
  const { kafka, producer } = await openKafkaWithTopics({
    brokers: infra.kafkaBrokers,
    clientId: name,
    logger: silentLogger,
    topics: [recsTopicSpecs(topics, PARTITIONS).events],
    producer: { lingerMs: 2 },
  });
  const closers: (() => Promise<void>)[] = [];

  const settings = (overrides: Partial<FeaturesSettings> = {}): FeaturesSettings => ({
    groupId: `${name}-features`,
    maxBatchSize: 100,
    sessionTimeoutMs: 10_000,
    fetchMaxWaitMs: 50,
    commitIntervalMs: 1000,
    minRunIntervalMs: 25,
    partitionsConsumedConcurrently: PARTITIONS,
    allowedLatenessMs: 600_000,
    popularityRefreshMs: 10,
    snapshotIntervalMs: 60_000,
    maxFutureSkewMs: 300_000,
    sessionTtlSeconds: 3600,
    bucketTtlSeconds: 3600,
    userTtlSeconds: 7200,
    ...overrides,
  });

  const childEnv = (): Record<string, string> => ({
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    DATABASE_URL: db.url,
    REDIS_URL: infra.redisUrl,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    REDIS_KEY_PREFIX: keyPrefix,
    METRICS_PORT: '0',
    EVENTS_PARTITIONS: String(PARTITIONS),
    LOG_LEVEL: 'warn',
  });
  async function start<S extends ConfigSpec, P>(definition: ServiceDefinition<S, P>, env: EnvSource = {}) {
    const service = await startService(definition, { env: { ...childEnv(), ...env } });
    closers.push(() => service.stop());
    return service;
  }

  return {
    infra,
    name,
    topics,
    keyPrefix,
    keys,
    db,
    pool,
    redis,
    kafka,
    admin,
    producer,
    catalog,
    settings,
    start,
    startWorker: (overrides = {}) =>
      start(featuresService, {
        FEATURES_GROUP_ID: `${name}-features`,
        FEATURES_MAX_BATCH_SIZE: '100',
        FEATURES_SESSION_TIMEOUT_MS: '10000',
        FEATURES_FETCH_MAX_WAIT_MS: '50',
        FEATURES_ALLOWED_LATENESS_MS: '600000',
        FEATURES_POPULARITY_REFRESH_MS: '10',
        FEATURES_SNAPSHOT_INTERVAL_MS: '60000',
        ...overrides,
      }),
    childEnv,
    onClose: (close) => {
      closers.push(close);
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await producer.disconnect();
      await stores.close();
    },
  };
}

/** Asserts the online store holds exactly the reference's features (counters equal, floats close). */
export async function expectOnlineStoreEquals(env: FeaturesTestEnv, reference: FeatureState): Promise<void> {
  const users = [...reference.users.keys()];
  const stored = await readUserFeatures(env.redis, env.keys, users);
  for (const s of stored) {
    const r = reference.users.get(s.userId);
    if (r === undefined) throw new Error(`no reference for ${s.userId}`);
    expect(s.events, `events of ${s.userId}`).toBe(r.events);
    expect(s.recent, `recent of ${s.userId}`).toEqual(r.recent);
    expect([...s.purchased].sort(), `purchased of ${s.userId}`).toEqual([...r.purchased].sort());
    expect(s.updatedAtMs).toBe(r.updatedAtMs);
    expect(s.affinityRefMs).toBe(r.affinityRefMs);
    expect([...s.affinity.keys()].sort()).toEqual([...r.affinity.keys()].sort());
    for (const [c, v] of r.affinity) expect(s.affinity.get(c), `affinity ${s.userId}/${c}`).toBeCloseTo(v, 6);
    // every user key expires (the harness's 7,200 s or the service's 30 days), purchases once they exist
    const userKeys = [
      env.keys.userRecent(s.userId),
      env.keys.userAffinity(s.userId),
      env.keys.userMeta(s.userId),
    ];
    if (r.purchased.size > 0) userKeys.push(env.keys.userPurchased(s.userId));
    for (const key of userKeys) {
      const ttl = await env.redis.ttl(key);
      expect(ttl, `TTL of ${key}`).toBeGreaterThan(0);
      expect(ttl, `TTL of ${key}`).toBeLessThanOrEqual(30 * 86_400);
    }
  }
  for (const [item, neighbours] of reference.cooccurrence) {
    const flat = await env.redis.zrevrange(env.keys.cooccurrence(item), 0, -1, 'WITHSCORES');
    const stored = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) stored.set(flat[i] as string, Number(flat[i + 1]));
    expect(stored, `co-occurrence of ${item}`).toEqual(neighbours);
  }
  for (const window of WINDOW_NAMES) {
    expect(await readPopularity(env.redis, env.keys, window), `popularity ${window}`).toEqual(
      reference.popularity(window, reference.watermark()),
    );
  }
  expect(Number((await env.redis.get(env.keys.lateEvents())) ?? 0)).toBe(reference.lateEvents);
}

/** A user event at `ts` (epoch ms). */
export function userEvent(
  overrides: Partial<UserEvent> & Pick<UserEvent, 'eventId' | 'userId' | 'productId'>,
  ts: number,
): UserEvent {
  return { type: 'view', sessionId: `${overrides.userId}-s0`, ts: new Date(ts).toISOString(), ...overrides };
}

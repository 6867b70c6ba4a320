// Builds a real web service (real Kafka, Redis, Postgres) on topics, keys and a database of its
// own, for one test file.
import { createKafka, createProducer, type KafkaClient } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createServiceRegistry, postgresCheck, redisCheck, silentLogger } from '@streamkit/runtime';
import type { UserEvent } from '@streamkit/schemas';
import { createPipelineMetrics } from '@streamkit/telemetry';
import {
  createKafkaTestAdmin,
  createTestDatabase,
  type KafkaTestAdmin,
  uniqueName,
} from '@streamkit/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { inject } from 'vitest';
import { seedCatalog } from '../../src/catalog/index.ts';
import { type RecsRedisKeys, recsRedisKeys } from '../../src/common/redis-keys.ts';
import { type RecsTopics, recsTopics } from '../../src/common/topics.ts';
import { migrate } from '../../src/db/migrate.ts';
import { buildApp } from '../../src/web/app.ts';
import type { WebOptions } from '../../src/web/settings.ts';
import { ensureWebTopics } from '../../src/web/topic-setup.ts';

export const testSessionSecret = 'test-session-secret-0123456789abcdef';
export const testEventsApiKey = 'test-events-key-0123456789';
/** The catalog every web test file seeds: small enough to seed in well under a second. */
export const testCatalog = { seed: 7, products: 400 } as const;

export interface WebHarness {
  readonly app: FastifyInstance;
  readonly prefix: string;
  readonly topics: RecsTopics;
  readonly keys: RecsRedisKeys;
  readonly kafka: KafkaClient;
  readonly kafkaBrokers: readonly string[];
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** The test's own connections (the app closes its own). */
  readonly redis: Redis;
  readonly pool: Pool;
  readonly admin: KafkaTestAdmin;
  close(): Promise<void>;
}

export interface WebHarnessOptions {
  readonly web?: Partial<WebOptions>;
  readonly partitions?: number;
}

export interface TestWebParts {
  readonly kafka: KafkaClient;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly topics: RecsTopics;
  readonly keys: RecsRedisKeys;
  readonly web?: Partial<WebOptions>;
}

/** A web app on the given topics, keys and database, with connections of its own; `app.close()` releases them. */
export async function createTestWeb(parts: TestWebParts): Promise<FastifyInstance> {
  const registry = createServiceRegistry('recs-web-test', { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);
  const redis = new Redis(parts.redisUrl);
  const pool = createPool(parts.databaseUrl, { max: 4 });
  const producer = await createProducer(parts.kafka, { metrics, lingerMs: 0 });
  return buildApp(
    {
      redis,
      pool,
      producer,
      topics: parts.topics,
      keys: parts.keys,
      registry,
      metrics,
      checks: { redis: redisCheck(redis), postgres: postgresCheck(pool) },
    },
    { sessionSecret: testSessionSecret, eventsApiKey: testEventsApiKey, ...parts.web },
  );
}

export async function startWebHarness(options: WebHarnessOptions = {}): Promise<WebHarness> {
  const infra = inject('infrastructure');
  const prefix = `${uniqueName('recs')}.`;
  const topics = recsTopics(prefix);
  const keys = recsRedisKeys(prefix);
  const database = await createTestDatabase(infra.databaseUrl, 'recs_web');
  const pool = createPool(database.url, { max: 2 });
  await migrate(pool);
  await seedCatalog(pool, testCatalog);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix, logger: silentLogger });
  await ensureWebTopics(kafka, topics, options.partitions ?? 3);

  const app = await createTestWeb({
    kafka,
    redisUrl: infra.redisUrl,
    databaseUrl: database.url,
    topics,
    keys,
    web: options.web,
  });
  const redis = new Redis(infra.redisUrl);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  return {
    app,
    prefix,
    topics,
    keys,
    kafka,
    kafkaBrokers: infra.kafkaBrokers,
    redisUrl: infra.redisUrl,
    databaseUrl: database.url,
    redis,
    pool,
    admin,
    async close() {
      await app.close();
      const leftovers = await redis.keys(`${prefix}*`);
      if (leftovers.length > 0) await redis.del(...leftovers);
      await redis.quit();
      await pool.end();
      await database.drop();
      await admin.deleteTopics([topics.events.name, `${topics.events.name}.dlq`]).catch(() => {});
      await admin.disconnect();
    },
  };
}

let sequence = 0;

/** A valid event with a fresh id; override any field. */
export function sampleEvent(overrides: Partial<UserEvent> = {}): UserEvent {
  sequence++;
  return {
    eventId: `ev-${process.pid}-${Date.now().toString(36)}-${sequence}`,
    type: 'view',
    userId: 'user-1',
    sessionId: 'session-1',
    productId: 'p-000001',
    ts: new Date().toISOString(),
    ...overrides,
  };
}

export function postEvents(
  app: FastifyInstance,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': testEventsApiKey },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/events',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Opens a storefront session for `userId`: the headers and ids its events must carry. */
export async function openSession(app: FastifyInstance, userId: string) {
  const res = await app.inject({ method: 'POST', url: '/sessions', payload: { userId } });
  const body = res.json() as { sessionId: string; token: string };
  return { sessionId: body.sessionId, headers: { 'x-session-token': body.token } };
}

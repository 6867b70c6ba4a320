// Starts the real web service (real Kafka, Redis, Postgres) through its service definition, on
// topics, keys and a database of its own, for one test file.
import type { EnvSource } from '@streamkit/config';
import { type RunningService, startService } from '@streamkit/runtime';
import type { UserEvent } from '@streamkit/schemas';
import { type KafkaTestAdmin, openTestStores, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import { type RecsRedisKeys, recsRedisKeys } from '../../src/common/redis-keys.ts';
import { type RecsTopics, recsTopics } from '../../src/common/topics.ts';
import { webService } from '../../src/web/service.ts';

export const testSessionSecret = 'test-session-secret-0123456789abcdef';
export const testEventsApiKey = 'test-events-key-0123456789';
/** The catalog every web test file seeds: small enough to seed in well under a second. */
export const testCatalog = { seed: 7, products: 400 } as const;

/** The web service's settings in every test (the secrets above; the producer sends at once). */
export const webTestEnv = {
  WEB_SESSION_SECRET: testSessionSecret,
  WEB_EVENTS_API_KEY: testEventsApiKey,
  WEB_PRODUCER_LINGER_MS: '0',
  WEB_DB_POOL_SIZE: '4',
  PORT: '0',
  HOST: '127.0.0.1',
} as const satisfies EnvSource;

export interface WebHarness {
  readonly app: FastifyInstance;
  readonly web: RunningService<unknown, unknown>;
  readonly prefix: string;
  readonly topics: RecsTopics;
  readonly keys: RecsRedisKeys;
  /** The test's own connection (the service has its own). */
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  close(): Promise<void>;
}

/** `env`: the web service's settings of this test file, as environment variables (WEB_*). */
export async function startWebHarness(env: EnvSource = {}): Promise<WebHarness> {
  const infra = inject('infrastructure');
  const prefix = `${uniqueName('recs')}.`;
  const topics = recsTopics(prefix);
  const keys = recsRedisKeys(prefix);
  const stores = await openTestStores(infra, {
    databasePrefix: 'recs_web',
    keyPrefix: prefix,
    topics: [topics.events.name, `${topics.events.name}.dlq`],
  });
  const web = await startService(webService, {
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      DATABASE_URL: stores.db.url,
      REDIS_URL: infra.redisUrl,
      KAFKA_TOPIC_PREFIX: prefix,
      REDIS_KEY_PREFIX: prefix,
      EVENTS_PARTITIONS: '3',
      LOG_LEVEL: 'warn',
      // the service seeds the catalog (migrations included), as in compose
      CATALOG_SEED: String(testCatalog.seed),
      CATALOG_SEED_PRODUCTS: String(testCatalog.products),
      ...webTestEnv,
      ...env,
    },
  });
  return {
    app: web.app as FastifyInstance,
    web,
    prefix,
    topics,
    keys,
    redis: stores.redis,
    admin: stores.admin,
    async close() {
      await web.stop();
      await stores.close();
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

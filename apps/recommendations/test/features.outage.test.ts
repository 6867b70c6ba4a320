// Redis down under the features worker (a redis-server of this file's own, stopped and started
// again; the shared one is never touched): events wait, /health says why, nothing is dead-lettered,
// and the online store equals the reference once Redis is back.
import type { HealthReport } from '@streamkit/runtime';
import { type PrivateRedis, sampleValue, startPrivateRedis } from '@streamkit/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogHistory, expectOnlineStoreEquals, useFeaturesEnv } from './features.harness.ts';
import { referenceFromRecords } from './features.reference.ts';

let redisServer: PrivateRedis;
let redis: Redis;
const START = Date.UTC(2026, 3, 1);
const LATENESS_MS = 600_000;

beforeAll(async () => {
  redisServer = await startPrivateRedis();
  redis = new Redis(redisServer.url, { lazyConnect: true });
  redis.on('error', () => undefined); // the test stops this server on purpose
});
afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
});

// registered after the Redis hooks: its worker stops before that Redis does
const env = useFeaturesEnv('recs-outage');

describe('features worker while its Redis is down', () => {
  it('waits with /health degraded, dead-letters nothing, and applies every event once when Redis is back', async () => {
    const service = await env().startWorker({
      REDIS_URL: redisServer.url,
      FEATURES_ALLOWED_LATENESS_MS: String(LATENESS_MS),
    });
    const health = async () => {
      const response = await fetch(`${service.address}/health`);
      return { status: response.status, body: (await response.json()) as HealthReport };
    };
    const metric = async (reason: string) =>
      sampleValue(
        await (await fetch(`${service.address}/metrics`)).text(),
        'streamkit_consumer_transient_failures_total',
        {
          topic: env().topics.events.name,
          reason,
        },
      ) ?? 0;

    const history = catalogHistory({
      seed: 11,
      users: 12,
      userPrefix: 'fo-',
      startMs: START,
      hours: 2,
      sessionsPerUser: 2,
    });
    await redisServer.stop();
    try {
      await env().producer.send(
        env().topics.events,
        history.map((value) => ({ value })),
      );
      await expect
        .poll(async () => (await health()).body.checks.consumer?.error ?? '', { timeout: 60_000 })
        .toMatch(/^waiting on infrastructure since .*redis:connection/);
      const during = await health();
      expect(during.status).toBe(503);
      expect(during.body.checks.kafka?.status).toBe('ok');
      expect(during.body.checks.redis?.status).toBe('error');
      expect(await metric('redis:connection')).toBeGreaterThan(0);
    } finally {
      await redisServer.start();
    }

    const records = await env().admin.readTopic(env().topics.events.name);
    expect(records).toHaveLength(history.length);
    const reference = referenceFromRecords(records, env().catalog, LATENESS_MS);
    await vi.waitFor(() => expectOnlineStoreEquals({ ...env(), redis }, reference), {
      timeout: 60_000,
      interval: 250,
    });
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
    const { rows } = await env().pool.query<{ n: string }>('SELECT count(*) AS n FROM recs_events');
    expect(Number(rows[0]?.n)).toBe(history.length);
    expect(await env().admin.readTopic(`${env().topics.events.name}.dlq`)).toEqual([]);
  });
});

// The /health checks of a consuming service, on the real broker and real PostgreSQL/Redis clients.
import { runHealthChecks } from '@streamkit/runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  consumerHealthChecks,
  createAdmin,
  type InfrastructureOutage,
  kafkaAdminCheck,
} from '../src/index.ts';
import { testKafka } from './helpers.ts';

const infra = inject('infrastructure');
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('consumerHealthChecks', () => {
  it('names kafka, the stores given and the consumer, and degrades while the consumer waits', async () => {
    const admin = await createAdmin(testKafka(infra.kafkaBrokers));
    closers.push(() => admin.disconnect());
    const pool = new pg.Pool({ connectionString: infra.databaseUrl, max: 1 });
    closers.push(() => pool.end());
    const redis = new Redis(infra.redisUrl);
    closers.push(() => redis.quit());
    let outage: InfrastructureOutage | undefined;
    const consumer = { outage: () => outage };

    const checks = consumerHealthChecks({ admin, redis, postgres: pool, consumer });
    expect(Object.keys(checks)).toEqual(['kafka', 'redis', 'postgres', 'consumer']);
    expect(Object.keys(consumerHealthChecks({ admin, consumer }))).toEqual(['kafka', 'consumer']);
    await expect(kafkaAdminCheck(admin)(new AbortController().signal)).resolves.toBeUndefined();

    const healthy = await runHealthChecks(checks, 10_000);
    expect(healthy.status).toBe('ok');
    outage = {
      topic: 'payments',
      since: Date.now(),
      reason: 'redis:ECONNREFUSED',
      message: 'down',
      partitions: [0],
    };
    const degraded = await runHealthChecks(checks, 10_000);
    expect(degraded.status).not.toBe('ok');
    expect(JSON.stringify(degraded)).toContain('redis:ECONNREFUSED');
  });
});

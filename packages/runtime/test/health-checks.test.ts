import { createServer, type Server } from 'node:net';
import { loadConfig, postgresEnv, redisEnv } from '@streamkit/config';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceRegistry,
  type HealthCheck,
  type HealthReport,
  kafkaCheck,
  observability,
  postgresCheck,
  redisCheck,
} from '../src/index.ts';

// Real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, else the local services).
const { databaseUrl, redisUrl } = loadConfig({ ...postgresEnv, ...redisEnv });

let pool: pg.Pool;
let redis: Redis;
let closedPort: number;
const toClose: { close(): unknown }[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  // A port that was just free: connecting to it is refused.
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await pool.end();
  redis.disconnect();
});

afterEach(async () => {
  await Promise.all(toClose.splice(0).map((resource) => resource.close()));
});

async function health(
  checks: Record<string, HealthCheck>,
  checkTimeoutMs?: number,
): Promise<{ code: number; report: HealthReport }> {
  const app: FastifyInstance = Fastify();
  toClose.push(app);
  await app.register(observability, {
    registry: createServiceRegistry('checks-test', { defaultMetrics: false }),
    checks,
    checkTimeoutMs,
  });
  const response = await app.inject({ method: 'GET', url: '/health' });
  return { code: response.statusCode, report: response.json<HealthReport>() };
}

describe('ready-made checks against real services', () => {
  it('passes for a reachable PostgreSQL and Redis', async () => {
    const { code, report } = await health({ postgres: postgresCheck(pool), redis: redisCheck(redis) });

    expect(code).toBe(200);
    expect(report.checks.postgres?.status).toBe('ok');
    expect(report.checks.redis?.status).toBe('ok');
  });

  it('names an unreachable Redis and says why', async () => {
    const deadRedis = new Redis({
      host: '127.0.0.1',
      port: closedPort,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    deadRedis.on('error', () => {});
    deadRedis.connect().catch(() => {});
    toClose.push({ close: () => deadRedis.disconnect() });

    const { code, report } = await health({ postgres: postgresCheck(pool), redis: redisCheck(deadRedis) });

    expect(code).toBe(503);
    expect(report.status).toBe('degraded');
    expect(report.checks.postgres?.status).toBe('ok');
    expect(report.checks.redis?.status).toBe('error');
    expect(report.checks.redis?.error).toMatch(/ECONNREFUSED|Connection is closed|Stream isn't writeable/);
  });

  it('reports a Redis client that keeps reconnecting (the default) as timed out instead of hanging', async () => {
    const reconnecting = new Redis({ host: '127.0.0.1', port: closedPort });
    reconnecting.on('error', () => {});
    toClose.push({ close: () => reconnecting.disconnect() });

    const { code, report } = await health({ redis: redisCheck(reconnecting) }, 200);

    expect(code).toBe(503);
    expect(report.checks.redis).toMatchObject({ status: 'error', error: 'timed out after 200 ms' });
  });

  it('names an unreachable PostgreSQL with the connection error', async () => {
    const deadPool = new pg.Pool({ host: '127.0.0.1', port: closedPort, user: 'postgres', max: 1 });
    toClose.push({ close: () => deadPool.end() });

    const { code, report } = await health({ postgres: postgresCheck(deadPool) });

    expect(code).toBe(503);
    expect(report).toMatchObject({
      status: 'down',
      checks: { postgres: { status: 'error', error: `connect ECONNREFUSED 127.0.0.1:${closedPort}` } },
    });
  });

  it('fails a Kafka cluster without brokers (pure logic, no broker needed)', async () => {
    const empty = kafkaCheck({ describeCluster: async () => ({ brokers: [] }) });
    const healthy = kafkaCheck({ describeCluster: async () => ({ brokers: [{ nodeId: 1 }] }) });
    await expect(empty(new AbortController().signal)).rejects.toThrow('kafka cluster reports no brokers');
    await expect(healthy(new AbortController().signal)).resolves.toBeUndefined();
  });
});

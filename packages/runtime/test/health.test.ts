import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  check,
  createServiceRegistry,
  type HealthCheck,
  type HealthReport,
  kafkaCheck,
  observability,
  SettingsError,
} from '../src/index.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(
  checks: Record<string, HealthCheck>,
  checkTimeoutMs?: number,
): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(observability, {
    registry: createServiceRegistry('health-test', { defaultMetrics: false }),
    checks,
    checkTimeoutMs,
  });
  return app;
}

const ok: HealthCheck = async () => {};

describe('GET /health', () => {
  it('answers 200 ok with each check and its latency when all pass', async () => {
    const app = await appWith({ kafka: ok, postgres: check(async () => 'fine') });

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(200);
    const report = response.json<HealthReport>();
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks).sort()).toEqual(['kafka', 'postgres']);
    expect(report.checks.kafka).toEqual({ status: 'ok', latencyMs: expect.any(Number) });
  });

  it('answers 200 ok when there is nothing to check', async () => {
    const app = await appWith({});
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: {} });
  });

  it('answers 503 degraded naming the failing check and its error', async () => {
    const app = await appWith({
      kafka: ok,
      redis: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
    });

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(503);
    const report = response.json<HealthReport>();
    expect(report.status).toBe('degraded');
    expect(report.checks.kafka?.status).toBe('ok');
    expect(report.checks.redis).toMatchObject({ status: 'error', error: 'connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('answers 503 down when every check fails, including one that throws synchronously', async () => {
    const app = await appWith({
      brokers: kafkaCheck({ describeCluster: async () => ({ brokers: [] }) }),
      sync: () => {
        throw new TypeError('not even a promise');
      },
    });

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'down',
      checks: {
        brokers: { status: 'error', error: 'kafka cluster reports no brokers' },
        sync: { status: 'error', error: 'not even a promise' },
      },
    });
  });

  it('reports a hanging check as timed out after checkTimeoutMs and aborts its signal', async () => {
    let seenSignal: AbortSignal | undefined;
    const app = await appWith(
      {
        postgres: ok,
        stuck: (signal) => {
          seenSignal = signal;
          return new Promise<void>(() => {});
        },
      },
      50,
    );

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(503);
    const report = response.json<HealthReport>();
    expect(report.checks.stuck).toMatchObject({ status: 'error', error: 'timed out after 50 ms' });
    expect(report.checks.stuck?.latencyMs).toBeGreaterThanOrEqual(49);
    expect(report.checks.postgres?.status).toBe('ok');
    expect(seenSignal?.aborted).toBe(true);
  });

  it('rejects a nonsensical timeout at registration', async () => {
    await expect(appWith({}, 0)).rejects.toThrow(SettingsError);
    await expect(appWith({}, Number.NaN)).rejects.toThrow(/checkTimeoutMs must be a positive integer/);
  });
});

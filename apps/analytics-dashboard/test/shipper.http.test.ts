import { ConfigError } from '@streamkit/config';
import { type RunningService, startService } from '@streamkit/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine, jsonLine } from '../src/loggen/access-line.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { buildShipperApp } from '../src/shipper/app.ts';
import { shipperService } from '../src/shipper/service.ts';
import { createShipperTestEnv, type ShipperTestEnv, TEST_HOST } from './support/shipper-harness.ts';

const infra = inject('infrastructure');
const apiKey = 'http-test-key-0123456789';
let env: ShipperTestEnv;
let app: FastifyInstance;
let shipper: RunningService<unknown, unknown> | undefined;
const traffic = createTraffic({ seed: 3, hosts: ['api-1.shop.example'], errorRate: 0.1 });

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-http');
  shipper = await startService(shipperService, { env: shipperSettings() });
  if (shipper.app === undefined) throw new Error('the shipper has an HTTP app');
  app = shipper.app;
});
afterAll(async () => {
  await shipper?.stop();
  await env?.close();
});

/** The shipper as `pnpm demo dashboard` runs it, on this file's topics, HTTP input only. */
function shipperSettings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: env.prefix,
    SHIPPER_API_KEY: apiKey,
    SHIPPER_LOG_HOST: TEST_HOST,
    SHIPPER_BODY_LIMIT_BYTES: String(64 * 1024),
    SHIPPER_MAX_LINES_PER_REQUEST: '50',
    SHIPPER_MAX_IN_FLIGHT: '4',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

const post = (body: string, key: string | null = apiKey) =>
  app.inject({
    method: 'POST',
    url: '/logs',
    headers: { 'content-type': 'application/x-ndjson', ...(key === null ? {} : { 'x-api-key': key }) },
    payload: body,
  });

describe('POST /logs', () => {
  it('accepts NDJSON and combined lines, produces them keyed by host, and answers 202 after the ack', async () => {
    const t = Date.UTC(2025, 2, 1);
    const body = [jsonLine(traffic(t)), '', combinedLine(traffic(t + 1)), jsonLine(traffic(t + 2))].join(
      '\n',
    );
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3 });
    const logs = await env.shippedLogs();
    expect(logs).toHaveLength(3);
    expect(logs.every((l) => l.source === 'http')).toBe(true);
    expect(logs.map((l) => l.host).sort()).toEqual(['api-1.shop.example', 'api-1.shop.example', TEST_HOST]);
  });

  it('answers 400 naming each bad line, and sends nothing of that request', async () => {
    const before = (await env.shippedLogs()).length;
    const body = [
      jsonLine(traffic(Date.UTC(2025, 2, 2))),
      'garbage',
      '{"ts":"2025-01-01T00:00:00Z","method":"GET","path":"/"}',
    ].join('\n');
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body: nothing was shipped',
      fields: [
        { field: 'lines/2', message: 'not a combined-format line' },
        { field: 'lines/3', message: 'missing status' },
      ],
    });
    expect((await env.shippedLogs()).length).toBe(before);
  });

  it('answers 401 without or with a wrong API key, 413 over the line limit, 415 for other media types', async () => {
    const line = jsonLine(traffic(Date.UTC(2025, 2, 3)));
    for (const key of [null, 'wrong-key-0123456789']) {
      const refused = await post(line, key);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ error: 'unauthorized', message: 'send a valid x-api-key header' });
    }
    const tooMany = await post(Array.from({ length: 51 }, () => line).join('\n'));
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toEqual({ error: 'payload_too_large', message: 'more than 50 lines' });
    const xml = await app.inject({
      method: 'POST',
      url: '/logs',
      headers: { 'content-type': 'application/xml', 'x-api-key': apiKey },
      payload: '<log/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toEqual({ error: 'unsupported_media_type', message: 'send application/x-ndjson' });
    const noRoute = await app.inject({ method: 'POST', url: '/log' });
    expect(noRoute.json()).toEqual({ error: 'not_found', message: 'no route POST /log' });
  });

  it('serves /metrics with the shipper counters and /health', async () => {
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('events_in');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('refuses to start with a short API key, naming the variable', async () => {
    const start = startService(shipperService, { env: shipperSettings({ SHIPPER_API_KEY: 'short' }) });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/SHIPPER_API_KEY/);
  });

  it('rejects nonsense settings at construction', async () => {
    await expect(
      buildShipperApp(
        {
          sender: env.sender,
          topics: env.topics,
          agents: env.agents,
          registry: env.registry,
          metrics: env.metrics,
          defaultHost: TEST_HOST,
          checks: {},
        },
        { apiKey: 'short', bodyLimitBytes: 1024, maxLinesPerRequest: 1, maxInFlightRequests: 1 },
      ),
    ).rejects.toThrow(/api key/);
  });
});

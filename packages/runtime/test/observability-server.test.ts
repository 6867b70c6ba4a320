import { sampleValue } from '@streamkit/testkit';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createServiceRegistry,
  type ObservabilityServer,
  SettingsError,
  startObservabilityServer,
} from '../src/index.ts';

const servers: ObservabilityServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('startObservabilityServer', () => {
  it('serves /metrics and /health over a real socket until closed', async () => {
    const registry = createServiceRegistry('iot-batcher');
    new Counter({
      name: 'streamkit_events_in_total',
      help: 'records read',
      labelNames: ['topic'],
      registers: [registry],
    }).inc({ topic: 'iot.telemetry' }, 11);
    const server = await startObservabilityServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      checks: {
        lake: async () => {
          throw new Error('disk full');
        },
      },
    });
    servers.push(server);

    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`http://127.0.0.1:${server.port}`);

    const metrics = await fetch(`${server.address}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
    const body = await metrics.text();
    expect(
      sampleValue(body, 'streamkit_events_in_total', { service: 'iot-batcher', topic: 'iot.telemetry' }),
    ).toBe(11);

    const health = await fetch(`${server.address}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'down',
      checks: { lake: { status: 'error', error: 'disk full' } },
    });

    await servers.pop()?.close();
    await expect(fetch(`${server.address}/health`)).rejects.toThrow();
  });

  it('rejects an impossible port before listening', async () => {
    const registry = createServiceRegistry('x', { defaultMetrics: false });
    await expect(startObservabilityServer({ port: 70_000, registry })).rejects.toThrow(SettingsError);
    await expect(startObservabilityServer({ port: 1.5, registry })).rejects.toThrow(
      /port must be an integer/,
    );
  });

  it('fails clearly when the port is taken, and leaves nothing running', async () => {
    const registry = createServiceRegistry('y', { defaultMetrics: false });
    const first = await startObservabilityServer({ host: '127.0.0.1', port: 0, registry });
    servers.push(first);
    await expect(startObservabilityServer({ host: '127.0.0.1', port: first.port, registry })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

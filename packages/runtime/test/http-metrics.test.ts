import { sampleValue } from '@streamkit/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceRegistry, observability } from '../src/index.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const metric = 'http_request_duration_seconds_count';

describe('http_request_duration_seconds', () => {
  it('labels requests with the route pattern, method and status code, including encapsulated routes', async () => {
    const registry = createServiceRegistry('http-test', { defaultMetrics: false });
    const app = Fastify();
    apps.push(app);
    await app.register(observability, { registry });
    app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    await app.register(
      async (child) => {
        child.post('/orders', async (_request, reply) => reply.code(201).send({ created: true }));
      },
      { prefix: '/v1' },
    );

    await app.inject({ method: 'GET', url: '/items/42' });
    await app.inject({ method: 'GET', url: '/items/43' });
    await app.inject({ method: 'POST', url: '/v1/orders', payload: {} });
    await app.inject({ method: 'GET', url: '/nowhere/7' });

    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const service = 'http-test';
    expect(
      sampleValue(body, metric, { service, method: 'GET', route: '/items/:id', status_code: '200' }),
    ).toBe(2);
    expect(
      sampleValue(body, metric, { service, method: 'POST', route: '/v1/orders', status_code: '201' }),
    ).toBe(1);
    expect(
      sampleValue(body, metric, { service, method: 'GET', route: 'unmatched', status_code: '404' }),
    ).toBe(1);
    expect(body).not.toContain('route="/items/42"');
    expect(body).not.toContain('/nowhere/7');
  });

  it('lets two apps share one registry', async () => {
    const registry = createServiceRegistry('shared', { defaultMetrics: false });
    for (const path of ['/a', '/b']) {
      const app = Fastify();
      apps.push(app);
      await app.register(observability, { registry });
      app.get(path, async () => 'hi');
      await app.inject({ method: 'GET', url: path });
    }

    const body = await registry.metrics();
    expect(sampleValue(body, metric, { route: '/a', status_code: '200' })).toBe(1);
    expect(sampleValue(body, metric, { route: '/b', status_code: '200' })).toBe(1);
  });
});

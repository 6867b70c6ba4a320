// The common error body of createHttpApp: every 4xx/5xx as { error, message?, fields? }.
import { createServiceRegistry, StreamkitError } from '@streamkit/runtime';
import { freePort } from '@streamkit/testkit';
import { Redis } from 'ioredis';
import pg from 'pg';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, ErrorBodySchema, type HttpApp, HttpError } from '../src/index.ts';

const Body = Type.Object(
  {
    amount: Type.Integer({ minimum: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', errorMessage: { pattern: 'must be an ISO 4217 code' } }),
  },
  { additionalProperties: false },
);

class BrokerBusyError extends StreamkitError {
  readonly retryAfterMs = 2500;
}

let app: HttpApp;
let redis: Redis;
let pool: pg.Pool;

beforeAll(async () => {
  const down = await freePort();
  // real clients of a Redis and a PostgreSQL that are not there
  redis = new Redis({ port: down, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${down}/none` });
  app = await createHttpApp({
    registry: createServiceRegistry('http-contract-test'),
    bodyLimit: 128,
    logger: false,
  });
  app.post(
    '/things',
    { schema: { body: Body, response: { 200: Type.Object({ ok: Type.Boolean() }), 400: ErrorBodySchema } } },
    async () => ({
      ok: true,
    }),
  );
  app.get(
    '/things/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^t-[0-9]+$' }) }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ maximum: 10 })) }),
      },
    },
    async (request) => {
      if (request.params.id === 't-409') throw new HttpError(409, 'thing t-409 exists with other content');
      return { id: request.params.id };
    },
  );
  app.get('/boom', async () => {
    throw new Error('secret detail');
  });
  app.get('/busy', async () => {
    throw new BrokerBusyError('the broker is busy', { retriable: true });
  });
  app.get('/redis', async () => redis.get('k'));
  app.get('/postgres', async () => (await pool.query('select 1')).rows);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await pool?.end();
});

describe('createHttpApp error bodies', () => {
  it('400 names every failing body field in the words of @streamkit/schemas', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { amount: 0, currency: 'eur', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: 'bad_request', message: 'invalid request body' });
    expect(body.fields).toEqual(
      expect.arrayContaining([
        { field: 'currency', message: 'must be an ISO 4217 code' },
        { field: 'extra', message: 'is not allowed' },
        { field: 'amount', message: expect.stringContaining('1') },
      ]),
    );
    const missing = await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(missing.json().fields).toEqual([
      { field: 'amount', message: 'is required' },
      { field: 'currency', message: 'is required' },
    ]);
  });

  it('400 names query and path parameters by name', async () => {
    const query = await app.inject({ url: '/things/t-1?limit=99' });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toEqual({
      error: 'bad_request',
      message: 'invalid query string',
      fields: [{ field: 'limit', message: expect.stringContaining('10') }],
    });
    const params = await app.inject({ url: '/things/x' });
    expect(params.json()).toMatchObject({
      error: 'bad_request',
      message: 'invalid path parameters',
      fields: [{ field: 'id', message: 'must match the pattern ^t-[0-9]+$' }],
    });
  });

  it('400 for a body that is not JSON, 413 over the limit, 415 for another media type', async () => {
    const postRaw = (contentType: string, payload: string) =>
      app.inject({ method: 'POST', url: '/things', headers: { 'content-type': contentType }, payload });
    const broken = await postRaw('application/json', '{"amount":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [{ field: '', message: 'must be a JSON document' }],
    });
    const big = await app.inject({ method: 'POST', url: '/things', payload: { currency: 'x'.repeat(200) } });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: 'payload_too_large', message: expect.any(String) });
    const text = await postRaw('text/plain', 'amount=1');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({ error: 'unsupported_media_type', message: 'send application/json' });
  });

  it('404 for an unknown route, an HttpError as it says, 500 without details', async () => {
    const nope = await app.inject({ url: '/nope?x=1' });
    expect(nope.statusCode).toBe(404);
    expect(nope.json()).toEqual({ error: 'not_found', message: 'no route GET /nope' });
    const conflict = await app.inject({ url: '/things/t-409' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: 'conflict', message: 'thing t-409 exists with other content' });
    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ error: 'internal_error' });
  });

  it('503 + Retry-After for a retriable StreamkitError and for a Redis or PostgreSQL that is down', async () => {
    const busy = await app.inject({ url: '/busy' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('3');
    expect(busy.json()).toEqual({ error: 'unavailable', message: 'the broker is busy' });
    for (const url of ['/redis', '/postgres']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['retry-after'], url).toBe('1');
      expect(res.json().error, url).toBe('unavailable');
    }
  });

  it('serves /health and /metrics', async () => {
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    expect((await app.inject({ url: '/metrics' })).body).toContain('http_request_duration_seconds');
  });
});

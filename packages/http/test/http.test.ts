import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { createApiKeyCheck, createInFlightLimit, installErrorHandlers } from '../src/index.ts';

const Body = Type.Object(
  { amount: Type.Integer({ minimum: 1 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { additionalProperties: false },
);

async function appWith(limit?: ReturnType<typeof createInFlightLimit>) {
  const app = Fastify({ bodyLimit: 64 });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandlers(app, { unsupportedMediaTypeMessage: 'send JSON, please' });
  if (limit) app.addHook('onRequest', limit.onRequest);
  app.post('/things', { schema: { body: Body } }, async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('secret detail');
  });
  await app.ready();
  return app;
}

describe('installErrorHandlers', () => {
  it('answers 400 naming every failing field, in the project’s words', async () => {
    const app = await appWith();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { amount: 0, extra: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid request',
      fields: expect.arrayContaining([
        { field: 'currency', message: 'is required' },
        { field: 'extra', message: 'is not allowed' },
        { field: 'amount', message: expect.stringContaining('1') },
      ]),
    });
  });

  it('answers 413, 415, 400 for bad JSON, 404 and a 500 without details', async () => {
    const app = await appWith();
    const big = await app.inject({ method: 'POST', url: '/things', payload: { currency: 'x'.repeat(100) } });
    expect(big.statusCode).toBe(413);
    const text = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/xml' },
      payload: '<hi/>',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toBe('send JSON, please');
    const broken = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(broken.statusCode).toBe(400);
    expect((await app.inject({ url: '/nope' })).json()).toEqual({ error: 'not found' });
    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret detail');
  });
});

describe('createInFlightLimit', () => {
  it('answers 503 with Retry-After beyond the bound and frees the slot when a response ends', async () => {
    const limit = createInFlightLimit(1);
    const app = Fastify();
    app.addHook('onRequest', limit.onRequest);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    app.get('/slow', async () => {
      await gate;
      return { done: true };
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const first = fetch(`${address}/slow`);
      await expect.poll(() => limit.inFlight).toBe(1);
      const second = await fetch(`${address}/slow`);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      release();
      expect((await first).status).toBe(200);
      await expect.poll(() => limit.inFlight).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('createApiKeyCheck', () => {
  it('accepts only the exact key, whatever the length of the guess', () => {
    const check = createApiKeyCheck('a-long-enough-secret-key');
    expect(check('a-long-enough-secret-key')).toBe(true);
    expect(check('a-long-enough-secret-kez')).toBe(false);
    expect(check('short')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check(['a-long-enough-secret-key'])).toBe(false);
  });
});

import { createServiceRegistry, SettingsError } from '@streamkit/runtime';
import { describe, expect, it } from 'vitest';
import { createApiKeyCheck, createHttpApp, requireApiKey } from '../src/index.ts';

const key = 'a-long-enough-secret-key';

describe('createApiKeyCheck', () => {
  it('accepts only the exact key, whatever the length of the guess', () => {
    const check = createApiKeyCheck(key);
    expect(check(key)).toBe(true);
    expect(check('a-long-enough-secret-kez')).toBe(false);
    expect(check('short')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check([key])).toBe(false);
  });

  it('refuses a key shorter than 16 characters at construction', () => {
    expect(() => createApiKeyCheck('too-short')).toThrow(SettingsError);
  });
});

describe('requireApiKey', () => {
  it('answers a missing and a wrong key with the same 401 body, before the body is validated', async () => {
    const app = await createHttpApp({ registry: createServiceRegistry('api-key-test'), logger: false });
    app.post(
      '/ingest',
      { onRequest: requireApiKey(key), schema: { body: { type: 'object', required: ['x'] } } },
      async () => ({ ok: true }),
    );
    const unauthorized = { error: 'unauthorized', message: 'send a valid x-api-key header' };
    const missing = await app.inject({ method: 'POST', url: '/ingest', payload: {} });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual(unauthorized);
    const wrong = await app.inject({
      method: 'POST',
      url: '/ingest',
      payload: {},
      headers: { 'x-api-key': 'nope' },
    });
    expect(wrong.json()).toEqual(unauthorized);
    const right = await app.inject({
      method: 'POST',
      url: '/ingest',
      payload: { x: 1 },
      headers: { 'x-api-key': key },
    });
    expect(right.statusCode).toBe(200);
  });
});

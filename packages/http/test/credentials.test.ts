// requireCredential + page sessions on a real listening server, with fetch as the client.
import { createServiceRegistry, SettingsError } from '@streamkit/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CREDENTIAL_MESSAGE,
  createAddressRateLimit,
  createHttpApp,
  createPageSessions,
  type HttpApp,
  registerPageSessions,
  requireCredential,
  SESSION_COOKIE,
  usePageSessions,
} from '../src/index.ts';

const apiKey = 'a-long-enough-secret-key';
let app: HttpApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(perAddressPerMinute = 10): Promise<string> {
  const created = await createHttpApp({ registry: createServiceRegistry('credentials-test'), logger: false });
  const sessions = createPageSessions({ apiKey, ttlS: 60, perAddressPerMinute });
  registerPageSessions(created, sessions);
  created.get('/data', { onRequest: requireCredential({ apiKey, sessions }) }, async () => ({ secret: 42 }));
  app = created;
  return created.listen({ port: 0, host: '127.0.0.1' });
}

const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('requireCredential', () => {
  it('refuses a request with no credential, a wrong key or a forged session, in the common body', async () => {
    const base = await serve();
    const unauthorized = { error: 'unauthorized', message: CREDENTIAL_MESSAGE };
    for (const headers of [
      {},
      { 'x-api-key': 'wrong-key-of-some-length' },
      { cookie: `${SESSION_COOKIE}=9999999999.abc.${'A'.repeat(43)}` },
      { cookie: `${SESSION_COOKIE}=garbage` },
    ]) {
      const response = await fetch(`${base}/data`, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(await response.json()).toEqual(unauthorized);
    }
  });

  it('accepts the key, or the cookie of POST /session', async () => {
    const base = await serve();
    const byKey = await fetch(`${base}/data`, { headers: { 'x-api-key': apiKey } });
    expect(await byKey.json()).toEqual({ secret: 42 });

    const session = await fetch(`${base}/session`, { method: 'POST' });
    expect(session.status).toBe(201);
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=60/);
    expect(Date.parse(((await session.json()) as { expiresAt: string }).expiresAt)).toBeGreaterThan(
      Date.now(),
    );
    const byCookie = await fetch(`${base}/data`, { headers: { cookie: `other=1; ${cookieOf(session)}` } });
    expect(byCookie.status).toBe(200);
  });

  it('rate-limits sessions per client address (429 + Retry-After)', async () => {
    const base = await serve(2);
    expect((await fetch(`${base}/session`, { method: 'POST' })).status).toBe(201);
    expect((await fetch(`${base}/session`, { method: 'POST' })).status).toBe(201);
    const third = await fetch(`${base}/session`, { method: 'POST' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await third.json()).toEqual({
      error: 'too_many_requests',
      message: 'too many sessions from 127.0.0.1; wait',
    });
  });
});

describe('usePageSessions', () => {
  it('guards the routes it names with the key or a session, and leaves the others open', async () => {
    const created = await createHttpApp({
      registry: createServiceRegistry('use-sessions-test'),
      logger: false,
    });
    app = created;
    usePageSessions(created, {
      apiKey,
      perAddressPerMinute: 5,
      guards: (url) => url.startsWith('/api/') && url !== '/api/own-key',
    });
    created.get('/api/items/:id', async () => ({ item: 1 }));
    created.get('/api/own-key', async () => ({ own: true }));
    created.get('/page', async () => ({ page: true }));
    const base = await created.listen({ port: 0, host: '127.0.0.1' });

    const refused = await fetch(`${base}/api/items/7`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'unauthorized', message: CREDENTIAL_MESSAGE });
    expect((await fetch(`${base}/api/items/7`, { headers: { 'x-api-key': apiKey } })).status).toBe(200);
    const session = await fetch(`${base}/session`, { method: 'POST' });
    expect(session.status).toBe(201);
    expect((await fetch(`${base}/api/items/7`, { headers: { cookie: cookieOf(session) } })).status).toBe(200);
    // routes outside the guard: not asked for a credential here
    expect((await fetch(`${base}/api/own-key`)).status).toBe(200);
    expect((await fetch(`${base}/page`)).status).toBe(200);
  });

  it('without guards, hooks nothing itself and hands back canRead for the routes', async () => {
    const created = await createHttpApp({
      registry: createServiceRegistry('use-sessions-test'),
      logger: false,
    });
    app = created;
    const { canRead } = usePageSessions(created, { apiKey });
    created.get('/open', async () => ({ open: true }));
    created.get('/data', { onRequest: canRead }, async () => ({ secret: 42 }));
    const base = await created.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${base}/open`)).status).toBe(200);
    expect((await fetch(`${base}/data`)).status).toBe(401);
    expect((await fetch(`${base}/data`, { headers: { 'x-api-key': apiKey } })).status).toBe(200);
  });
});

describe('page sessions', () => {
  it('expire, and are bound to the key they were derived from', () => {
    const sessions = createPageSessions({ apiKey, ttlS: 60 });
    const { token } = sessions.issue(1_000_000);
    expect(sessions.verify(token, 1_000_000 + 59_000)).toBe(true);
    expect(sessions.verify(token, 1_000_000 + 60_000)).toBe(false);
    const otherKey = createPageSessions({ apiKey: `${apiKey}-rotated`, ttlS: 60 });
    expect(otherKey.verify(token, 1_000_000)).toBe(false);
    // the expiry cannot be moved without the signature breaking
    const [, nonce, mac] = token.split('.');
    expect(sessions.verify(`9999999999.${nonce}.${mac}`, 1_000_000)).toBe(false);
    expect(() => createPageSessions({ apiKey: 'short' })).toThrow(SettingsError);
  });

  it('the address rate limit tracks a bounded number of addresses per window', () => {
    const limit = createAddressRateLimit(1, 2);
    expect(limit.take('a', 0).ok).toBe(true);
    expect(limit.take('a', 1).ok).toBe(false);
    expect(limit.take('b', 2).ok).toBe(true);
    expect(limit.take('c', 3).ok).toBe(false); // a third address in the window
    expect(limit.take('c', 60_000).ok).toBe(true); // the next window
  });
});

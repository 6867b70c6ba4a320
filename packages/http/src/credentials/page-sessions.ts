import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SettingsError } from '@streamkit/runtime';
import type { FastifyInstance } from 'fastify';
import { MIN_API_KEY_LENGTH } from '../api-key.ts';
import { sendError } from '../http-error.ts';
import { type AddressRateLimit, createAddressRateLimit } from './address-rate-limit.ts';

/** The cookie a page session travels in (EventSource cannot send headers; it sends cookies). */
export const SESSION_COOKIE = 'streamkit_session';

/** The route a page POSTs to for its session. */
export const SESSION_ROUTE = '/session';

export interface PageSessionsSettings {
  /**
   * The service's API key: the sessions' HMAC key is derived from it, so every replica with the
   * key verifies every replica's sessions and rotating the key ends every session.
   */
  readonly apiKey: string;
  /** How long a session lasts. Default 900 s. */
  readonly ttlS?: number;
  /** Sessions issued per client address per minute; one more is 429. Default 10. */
  readonly perAddressPerMinute?: number;
}

export interface PageSessions {
  /** A new signed session: the cookie's value and when it expires. */
  issue(nowMs?: number): { token: string; expiresAtS: number };
  /** True for a valid, unexpired session token. */
  verify(token: string | undefined, nowMs?: number): boolean;
  /** The session token in a Cookie header, if any. */
  fromCookie(header: string | undefined): string | undefined;
  readonly ttlS: number;
  readonly rateLimit: AddressRateLimit;
}

/**
 * Short-lived, stateless sessions for a service's own page: `<expiresAtS>.<nonce>.<hmac>`. Anyone
 * who loads the page may get one (the page is public), but only by asking this service at a
 * bounded rate per address, and only for a while; the service's key never reaches the page.
 */
export function createPageSessions(settings: PageSessionsSettings): PageSessions {
  const ttlS = settings.ttlS ?? 900;
  const perMinute = settings.perAddressPerMinute ?? 10;
  if (typeof settings.apiKey !== 'string' || settings.apiKey.length < MIN_API_KEY_LENGTH)
    throw new SettingsError(
      'page sessions',
      `the api key must have at least ${MIN_API_KEY_LENGTH} characters`,
    );
  if (!Number.isInteger(ttlS) || ttlS < 10 || ttlS > 86_400)
    throw new SettingsError('page sessions', `ttlS must be an integer in 10..86400, got ${ttlS}`);
  const secret = createHmac('sha256', settings.apiKey).update('streamkit page session v1').digest();
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    ttlS,
    rateLimit: createAddressRateLimit(perMinute),
    issue(nowMs = Date.now()) {
      const expiresAtS = Math.floor(nowMs / 1000) + ttlS;
      const payload = `${expiresAtS}.${randomBytes(12).toString('base64url')}`;
      return { token: `${payload}.${sign(payload).toString('base64url')}`, expiresAtS };
    },
    verify(token, nowMs = Date.now()) {
      if (token === undefined || token.length > 200) return false;
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return false;
      const payload = token.slice(0, dot);
      const presented = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = sign(payload);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return false;
      const expiresAtS = Number(payload.slice(0, payload.indexOf('.')));
      return Number.isSafeInteger(expiresAtS) && expiresAtS * 1000 > nowMs;
    },
    fromCookie(header) {
      if (header === undefined) return undefined;
      for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
      }
      return undefined;
    },
  };
}

/**
 * POST /session: issues a page session in an HttpOnly, SameSite=Strict cookie (`Secure` over
 * https) and answers 201 `{expiresAt}`; more than the per-address rate is 429 + Retry-After.
 */
export function registerPageSessions(app: FastifyInstance, sessions: PageSessions): void {
  app.post(SESSION_ROUTE, async (request, reply) => {
    const allowed = sessions.rateLimit.take(request.ip);
    if (!allowed.ok) {
      return sendError(reply, 429, {
        message: `too many sessions from ${request.ip}; wait`,
        retryAfterS: allowed.retryAfterS,
      });
    }
    const { token, expiresAtS } = sessions.issue();
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .header(
        'set-cookie',
        `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${sessions.ttlS}; HttpOnly; SameSite=Strict${secure}`,
      )
      .send({ expiresAt: new Date(expiresAtS * 1000).toISOString() });
  });
}

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** Who a storefront session token speaks for: events it signs must carry this user and session. */
export interface SessionClaims {
  readonly userId: string;
  readonly sessionId: string;
  /** Epoch seconds after which the token is refused. */
  readonly expiresAtS: number;
}

export interface SessionTokens {
  /** A new session for `userId` (a fresh sessionId), signed. */
  issue(userId: string, nowMs?: number): { claims: SessionClaims; token: string };
  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string | string[] | undefined, nowMs?: number): SessionClaims | undefined;
}

/**
 * Stateless storefront sessions: `base64url(userId.sessionId.expiresAtS).hmac`. The storefront is
 * public, so this is not authentication; it binds the events a browser posts to one session (which
 * the rate limit counts) and stops anyone from posting events for sessions they were never given.
 */
export function createSessionTokens(secret: string, ttlS: number): SessionTokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(userId, nowMs = Date.now()) {
      const claims = {
        userId,
        sessionId: `s-${randomUUID()}`,
        expiresAtS: Math.floor(nowMs / 1000) + ttlS,
      };
      const payload = Buffer.from(`${claims.userId}\n${claims.sessionId}\n${claims.expiresAtS}`).toString(
        'base64url',
      );
      return { claims, token: `${payload}.${sign(payload)}` };
    },
    verify(token, nowMs = Date.now()) {
      if (typeof token !== 'string' || token.length > 1024) return undefined;
      const dot = token.indexOf('.');
      if (dot <= 0) return undefined;
      const payload = token.slice(0, dot);
      const presented = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = Buffer.from(sign(payload), 'base64url');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
      const [userId, sessionId, expires] = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
      const expiresAtS = Number(expires);
      if (!userId || !sessionId || !Number.isSafeInteger(expiresAtS)) return undefined;
      if (expiresAtS * 1000 <= nowMs) return undefined;
      return { userId, sessionId, expiresAtS };
    },
  };
}

// The web service's pure pieces: settings validation, session tokens, the per-session rate limit, batches.
import { describe, expect, it } from 'vitest';
import { WebSettingsError } from '../src/web/errors.ts';
import { parseEventBatch } from '../src/web/event-batch.ts';
import { createSessionRateLimit } from '../src/web/session-rate-limit.ts';
import { createSessionTokens } from '../src/web/session-token.ts';
import { resolveWebSettings } from '../src/web/settings.ts';
import { sampleEvent } from './support/web-harness.ts';

const secret = 'unit-test-secret-0123456789abcdefgh';

describe('web settings', () => {
  it('fills defaults and freezes', () => {
    const settings = resolveWebSettings({ sessionSecret: secret });
    expect(settings.maxBatchSize).toBe(100);
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('names every problem at once', () => {
    const attempt = () =>
      resolveWebSettings({
        sessionSecret: 'short',
        maxBatchSize: 0,
        defaultLimit: 60,
        maxLimit: 50,
        eventsApiKey: 'x',
      });
    expect(attempt).toThrow(WebSettingsError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as WebSettingsError).problems.join('\n');
      for (const name of ['sessionSecret', 'maxBatchSize', 'defaultLimit', 'eventsApiKey'])
        expect(problems).toContain(name);
    }
  });
});

describe('session tokens', () => {
  const tokens = createSessionTokens(secret, 3600);

  it('verifies its own tokens and returns their claims', () => {
    const { claims, token } = tokens.issue('u-1', 1_000_000);
    expect(tokens.verify(token, 1_000_000)).toEqual(claims);
    expect(claims.userId).toBe('u-1');
  });

  it('refuses expired, tampered and foreign tokens', () => {
    const { token } = tokens.issue('u-1', 1_000_000);
    expect(tokens.verify(token, 1_000_000 + 3601_000)).toBeUndefined();
    const [payload, mac] = token.split('.') as [string, string];
    const other = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('u-1', 'u-2')).toString(
      'base64url',
    );
    expect(tokens.verify(`${other}.${mac}`, 1_000_000)).toBeUndefined();
    expect(createSessionTokens(`${secret}-other`, 3600).verify(token, 1_000_000)).toBeUndefined();
    expect(tokens.verify(undefined)).toBeUndefined();
    expect(tokens.verify('garbage')).toBeUndefined();
  });
});

describe('session rate limit', () => {
  it('allows up to the limit per minute, then answers when to retry, and resets with the window', () => {
    const limit = createSessionRateLimit(10);
    const t0 = 60_000 * 100 + 15_000;
    expect(limit.take('s', 6, t0)).toEqual({ ok: true });
    expect(limit.take('s', 4, t0)).toEqual({ ok: true });
    expect(limit.take('s', 1, t0)).toEqual({ ok: false, retryAfterS: 45 });
    expect(limit.take('other', 10, t0)).toEqual({ ok: true });
    expect(limit.take('s', 10, t0 + 45_000)).toEqual({ ok: true });
  });

  it('bounds the sessions it tracks', () => {
    const limit = createSessionRateLimit(10, 2);
    expect(limit.take('a', 1, 0).ok).toBe(true);
    expect(limit.take('b', 1, 0).ok).toBe(true);
    expect(limit.take('c', 1, 0).ok).toBe(false);
    expect(limit.take('a', 1, 0).ok).toBe(true);
  });
});

describe('event batches', () => {
  it('takes one event or an array, and names fields by position in a batch', () => {
    const one = sampleEvent();
    expect(parseEventBatch(one, 5)).toEqual({ ok: true, events: [one] });
    const bad = parseEventBatch([one, { ...one, type: 'like' }], 5);
    expect(bad).toMatchObject({ ok: false, fields: [{ field: '1/type' }] });
    expect(parseEventBatch([], 5)).toMatchObject({ ok: false });
    expect(parseEventBatch([one, one, one], 2)).toMatchObject({
      ok: false,
      fields: [{ message: 'must hold at most 2 events' }],
    });
  });
});

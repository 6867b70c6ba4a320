import { createApiKeyCheck } from '@streamkit/http';
import { describe, expect, it } from 'vitest';
import { GatewaySettingsError } from './errors.ts';
import { paymentFingerprint } from './fingerprint.ts';
import { resolveGatewaySettings } from './settings.ts';

const key = 'a-sufficiently-long-key';

describe('gateway settings', () => {
  it('fills the defaults', () => {
    expect(resolveGatewaySettings({ apiKey: key })).toMatchObject({
      bodyLimitBytes: 16_384,
      maxWaitMs: 30_000,
    });
  });

  it('rejects nonsense, naming every problem at once', () => {
    let error: unknown;
    try {
      resolveGatewaySettings({ apiKey: 'short', maxInFlight: 0, produceTimeoutMs: 1.5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewaySettingsError);
    const problems = (error as GatewaySettingsError).problems.join('\n');
    expect(problems).toMatch(/apiKey/);
    expect(problems).toMatch(/maxInFlight/);
    expect(problems).toMatch(/produceTimeoutMs/);
  });
});

describe('API key check', () => {
  it('accepts the key only', () => {
    const check = createApiKeyCheck(key);
    expect(check(key)).toBe(true);
    expect(check(`${key}x`)).toBe(false);
    expect(check('')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check([key, key])).toBe(false);
  });
});

describe('payment fingerprint', () => {
  const payment = {
    paymentId: 'p-1',
    cardId: 'c-1',
    accountId: 'a-1',
    merchantId: 'm-1',
    mcc: '5411',
    amount: 100,
    currency: 'EUR',
    country: 'DE',
    ts: '2026-01-15T12:00:00Z',
  } as const;

  it('ignores key order and changes with any value', () => {
    const reordered = Object.fromEntries(Object.entries(payment).reverse()) as typeof payment;
    expect(paymentFingerprint(reordered)).toBe(paymentFingerprint(payment));
    expect(paymentFingerprint({ ...payment, amount: 101 })).not.toBe(paymentFingerprint(payment));
    expect(paymentFingerprint({ ...payment, deviceId: 'd-1' })).not.toBe(paymentFingerprint(payment));
  });
});

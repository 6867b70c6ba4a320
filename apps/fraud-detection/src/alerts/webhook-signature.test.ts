import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'a-secret-of-sixteen+';
const body = '{"type":"fraud.alert"}';

describe('webhook signature', () => {
  it('is sha256=<hex HMAC of "timestamp.body">', () => {
    const hex = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, '1700000000', body)).toBe(`sha256=${hex}`);
  });

  it('verifies, and rejects a wrong secret, body, stale or missing timestamp', () => {
    const nowSeconds = 1_700_000_100;
    const ok = {
      secret,
      body,
      timestamp: '1700000000',
      signature: signWebhook(secret, '1700000000', body),
      nowSeconds,
    };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, secret: `${secret}!` })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, body: `${body} ` })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, nowSeconds: nowSeconds + 301 })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: 'sha256=00' })).toBe(false);
  });
});

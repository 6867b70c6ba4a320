import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'a-secret-of-sixteen+';
const body = '{"type":"fraud.alert"}';
const deliveryId = '7d3f0c2e-1b1a-4c55-9a8e-0a1b2c3d4e5f';

describe('webhook signature', () => {
  it('is sha256=<hex HMAC of "deliveryId.timestamp.body">', () => {
    const hex = createHmac('sha256', secret).update(`${deliveryId}.1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, { deliveryId, timestamp: '1700000000', body })).toBe(`sha256=${hex}`);
  });

  it('verifies, and rejects a wrong secret, body or delivery id, a stale or missing timestamp', () => {
    const nowSeconds = 1_700_000_100;
    const ok = {
      secret,
      deliveryId,
      body,
      timestamp: '1700000000',
      signature: signWebhook(secret, { deliveryId, timestamp: '1700000000', body }),
      nowSeconds,
    };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, secret: `${secret}!` })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, body: `${body} ` })).toBe(false);
    // a replay cannot pass as a new delivery under another id
    expect(verifyWebhookSignature({ ...ok, deliveryId: `${deliveryId.slice(0, -1)}0` })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, deliveryId: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, nowSeconds: nowSeconds + 301 })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: 'sha256=00' })).toBe(false);
  });
});

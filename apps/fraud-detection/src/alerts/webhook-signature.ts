import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-streamkit-signature';
export const TIMESTAMP_HEADER = 'x-streamkit-timestamp';
export const DELIVERY_ID_HEADER = 'x-streamkit-delivery-id';

/** What a signature covers: the delivery id (receivers dedupe on it), the time it was sent, the body. */
export interface SignedParts {
  readonly deliveryId: string;
  /** Unix seconds, as sent in x-streamkit-timestamp. */
  readonly timestamp: string;
  readonly body: string;
}

/**
 * `sha256=<hex HMAC-SHA256 of "<deliveryId>.<timestamp>.<body>">`. The timestamp bounds how long a
 * captured request can be replayed; signing the delivery id stops a replay from passing as a new
 * delivery (a receiver that has seen the id drops it).
 */
export function signWebhook(secret: string, parts: SignedParts): string {
  const signed = `${parts.deliveryId}.${parts.timestamp}.${parts.body}`;
  return `sha256=${createHmac('sha256', secret).update(signed).digest('hex')}`;
}

export interface VerifyWebhookInput {
  readonly secret: string;
  readonly deliveryId: string | undefined;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** Reject timestamps further than this from now (default 300 s). */
  readonly toleranceSeconds?: number;
  readonly nowSeconds?: number;
}

/** What a receiver runs: recompute the signature over the raw body, compare in constant time. */
export function verifyWebhookSignature(input: VerifyWebhookInput): boolean {
  const { secret, deliveryId, body, timestamp, signature } = input;
  if (deliveryId === undefined || deliveryId === '' || deliveryId.includes('.')) return false;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, { deliveryId, timestamp, body }));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

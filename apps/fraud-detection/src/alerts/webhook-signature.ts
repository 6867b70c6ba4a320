import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-streamkit-signature';
export const TIMESTAMP_HEADER = 'x-streamkit-timestamp';
export const DELIVERY_ID_HEADER = 'x-streamkit-delivery-id';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`; the timestamp (unix seconds) defeats replays. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyWebhookInput {
  readonly secret: string;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** Reject timestamps further than this from now (default 300 s). */
  readonly toleranceSeconds?: number;
  readonly nowSeconds?: number;
}

/** What a receiver runs: recompute the signature over the raw body, compare in constant time. */
export function verifyWebhookSignature(input: VerifyWebhookInput): boolean {
  const { secret, body, timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

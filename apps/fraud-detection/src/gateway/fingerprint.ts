import { hash } from 'node:crypto';
import type { Payment } from '@streamkit/schemas';

/**
 * A stable digest of a payment's content: the same fields with the same values give the same
 * fingerprint whatever their order in the request, so a retried POST is recognised as a repeat.
 */
export function paymentFingerprint(payment: Payment): string {
  // the one-shot hash: a third of createHash().update().digest()'s time, the same digest
  return hash('sha256', canonicalJson(payment), 'base64url');
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

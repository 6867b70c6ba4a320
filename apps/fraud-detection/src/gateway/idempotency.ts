import type { Redis } from 'ioredis';
import type { FraudRedisKeys } from '../common/redis-keys.ts';

/**
 * The outcome of claiming a paymentId:
 * - `claimed`: first time seen; the caller must produce it, then `markAccepted` or `release`;
 * - `duplicate`: already accepted with the same content (answer 202 again, produce nothing);
 * - `in-progress`: the same content is being accepted by another request right now;
 * - `conflict`: the paymentId was used for different content.
 */
export type ClaimOutcome = 'claimed' | 'duplicate' | 'in-progress' | 'conflict';

/** What the gateway knows about a paymentId, apart from its decision. */
export type PaymentRecordState = 'accepted' | 'accepting' | 'unknown';

export interface IdempotencyStore {
  claim(paymentId: string, fingerprint: string): Promise<ClaimOutcome>;
  /** The broker acknowledged the event: remember the paymentId for the full TTL. */
  markAccepted(paymentId: string, fingerprint: string): Promise<void>;
  /** The produce failed: forget the claim so the client can retry (only if it is still ours). */
  release(paymentId: string, fingerprint: string): Promise<void>;
  state(paymentId: string): Promise<PaymentRecordState>;
}

export interface IdempotencySettings {
  /** How long an accepted paymentId is remembered. */
  readonly acceptedTtlS: number;
  /**
   * How long a claim lives before the produce finished: bounds how long a crashed gateway's claim
   * blocks a retry. Must exceed the produce timeout.
   */
  readonly claimTtlS: number;
}

// Values are "<state>:<fingerprint>"; the state tells a repeat whether the first attempt finished.
const ACCEPTING = 'accepting:';
const ACCEPTED = 'accepted:';

// Deletes the key only while it still holds this request's claim (a compare-and-delete).
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Idempotency of POST /payments in Redis: one `SET NX` per new paymentId. */
export function createIdempotencyStore(
  redis: Redis,
  keys: FraudRedisKeys,
  settings: IdempotencySettings,
): IdempotencyStore {
  return {
    async claim(paymentId, fingerprint) {
      const key = keys.payment(paymentId);
      // A released claim can vanish between SET NX and GET: try again once then.
      for (let attempt = 0; attempt < 2; attempt++) {
        const set = await redis.set(key, ACCEPTING + fingerprint, 'EX', settings.claimTtlS, 'NX');
        if (set === 'OK') return 'claimed';
        const existing = await redis.get(key);
        if (existing === null) continue;
        if (!existing.endsWith(`:${fingerprint}`)) return 'conflict';
        return existing.startsWith(ACCEPTED) ? 'duplicate' : 'in-progress';
      }
      return 'in-progress';
    },
    async markAccepted(paymentId, fingerprint) {
      await redis.set(keys.payment(paymentId), ACCEPTED + fingerprint, 'EX', settings.acceptedTtlS);
    },
    async release(paymentId, fingerprint) {
      await redis.eval(RELEASE_SCRIPT, 1, keys.payment(paymentId), ACCEPTING + fingerprint);
    },
    async state(paymentId) {
      const value = await redis.get(keys.payment(paymentId));
      if (value === null) return 'unknown';
      return value.startsWith(ACCEPTED) ? 'accepted' : 'accepting';
    },
  };
}

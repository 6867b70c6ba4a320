import { formatFieldErrors, type PaymentDecision, paymentDecisionValidator } from '@streamkit/schemas';
import type { Redis } from 'ioredis';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import { DecisionRecordError } from './errors.ts';

/** Reads the decision the detector stored for a payment (a PaymentDecision as JSON), if any. */
export async function readStoredDecision(
  redis: Redis,
  keys: FraudRedisKeys,
  paymentId: string,
): Promise<PaymentDecision | undefined> {
  const key = keys.decision(paymentId);
  const raw = await redis.get(key);
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DecisionRecordError(key, 'not JSON', error);
  }
  const result = paymentDecisionValidator.validate(parsed);
  if (!result.ok) throw new DecisionRecordError(key, formatFieldErrors(result.errors));
  return result.value;
}

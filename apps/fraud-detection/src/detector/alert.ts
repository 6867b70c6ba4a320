import { createHash } from 'node:crypto';
import type { FraudAlert, Payment, PaymentDecision } from '@streamkit/schemas';

const MAX_ID_LENGTH = 64;

/**
 * The alert id is derived from the paymentId, so a replayed payment yields the SAME alert
 * (the alert system upserts) — readable when it fits, a hash when the paymentId is too long.
 */
export function alertIdFor(paymentId: string): string {
  const readable = `alert-${paymentId}`;
  if (readable.length <= MAX_ID_LENGTH) return readable;
  return `alert-${createHash('sha256').update(paymentId).digest('hex').slice(0, 40)}`;
}

/** The alert for a payment held for review or declined; null for an approval. */
export function alertFor(payment: Payment, decision: PaymentDecision): FraudAlert | null {
  if (decision.decision === 'approve') return null;
  return {
    alertId: alertIdFor(payment.paymentId),
    paymentId: payment.paymentId,
    cardId: payment.cardId,
    accountId: payment.accountId,
    merchantId: payment.merchantId,
    amount: payment.amount,
    currency: payment.currency,
    country: payment.country,
    decision: decision.decision,
    score: decision.score,
    reasons: decision.reasons,
    ruleIds: decision.ruleIds,
    modelVersion: decision.modelVersion,
    paymentTs: payment.ts,
    // the decision's time, not now: a replay re-emits an identical alert
    createdAt: decision.decidedAt,
  };
}

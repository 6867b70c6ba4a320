import type { TypedProducer } from '@streamkit/kafka';
import type { Payment } from '@streamkit/schemas';
import type { FraudTopics } from '../common/topics.ts';
import { ProduceTimeoutError } from './errors.ts';
import { paymentFingerprint } from './fingerprint.ts';
import type { IdempotencyStore } from './idempotency.ts';

/** What POST /payments answers, apart from errors thrown by the producer (backpressure, broker down). */
export type AcceptOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'conflict' };

export interface AcceptPaymentDeps {
  readonly producer: TypedProducer;
  readonly topics: FraudTopics;
  readonly idempotency: IdempotencyStore;
  readonly produceTimeoutMs: number;
  /** Where failures of the background settlement of a timed-out produce are reported. */
  readonly onBackgroundError: (error: unknown) => void;
}

/**
 * Accepts one payment at least once and at most one event per paymentId: claim the id in Redis,
 * produce keyed by cardId and wait for the broker's ack, then remember it as accepted. If the
 * produce fails the claim is released so the client can retry. If it only takes too long, the
 * caller gets ProduceTimeoutError while the claim stays until the produce settles, so a retry in
 * the meantime is told "in progress" instead of producing a second event.
 */
export async function acceptPayment(deps: AcceptPaymentDeps, payment: Payment): Promise<AcceptOutcome> {
  const fingerprint = paymentFingerprint(payment);
  const claim = await deps.idempotency.claim(payment.paymentId, fingerprint);
  if (claim !== 'claimed') return { kind: claim };

  const produced = deps.producer.send(deps.topics.payments, [{ value: payment }]).then(
    () => deps.idempotency.markAccepted(payment.paymentId, fingerprint),
    async (error: unknown) => {
      await deps.idempotency.release(payment.paymentId, fingerprint);
      throw error;
    },
  );

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProduceTimeoutError(payment.paymentId, deps.produceTimeoutMs)),
      deps.produceTimeoutMs,
    );
  });
  try {
    await Promise.race([produced, timeout]);
    return { kind: 'accepted' };
  } catch (error) {
    // after a timeout the produce still settles the claim; only its failure is left to report
    if (error instanceof ProduceTimeoutError) produced.catch(deps.onBackgroundError);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

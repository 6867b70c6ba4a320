import type { IncomingMessage } from '@streamkit/kafka';
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { type CardState, emptyCardState } from '../domain/card-state.ts';
import { type BatchSnapshot, recordOrigin, type StoredDecision } from './card-state-store.ts';

/** What deciding one payment produced (the domain's per-payment step, narrowed to what is stored). */
export interface StepOutcome {
  readonly stateAfter: CardState;
  readonly decision: PaymentDecision;
  readonly late: boolean;
}

export type Decide = (stateBefore: CardState, payment: Payment) => StepOutcome;

export type RecordResult =
  /** decided now: the card's state advanced */
  | { readonly kind: 'decided'; readonly decision: PaymentDecision; readonly late: boolean }
  /** this very record was decided before (crash after the Redis write, before the Kafka commit): re-emit */
  | { readonly kind: 'replay'; readonly decision: PaymentDecision }
  /** another record already carried this paymentId and got the decision: emit nothing */
  | { readonly kind: 'duplicate' };

export interface BatchWork {
  /** Decides one record; call in offset order. */
  next(message: IncomingMessage<Payment>, decide: Decide): RecordResult;
  /** Card states the batch changed, to be written with `newDecisions` in one MULTI. */
  changedStates(): ReadonlyMap<string, CardState>;
  newDecisions(): readonly StoredDecision[];
}

/**
 * One batch's decisions over the card states read at its start. Each card's state advances in
 * offset order; a paymentId that already has a decision is never applied again, which is what
 * makes re-processing after a crash (Redis written, Kafka transaction not committed) count nothing
 * twice.
 */
export function startBatch(snapshot: BatchSnapshot): BatchWork {
  const states = new Map(snapshot.states);
  const changed = new Set<string>();
  const decidedHere = new Map<string, StoredDecision>();
  const fresh: StoredDecision[] = [];

  return {
    next(message, decide) {
      const payment = message.value;
      const origin = recordOrigin(message);
      const known = decidedHere.get(payment.paymentId) ?? snapshot.decisions.get(payment.paymentId);
      if (known !== undefined) {
        // no origin: stored by something that did not record one; re-emitting is the safe side
        return known.origin === origin || known.origin === null
          ? { kind: 'replay', decision: known.decision }
          : { kind: 'duplicate' };
      }
      const outcome = decide(states.get(payment.cardId) ?? emptyCardState(), payment);
      states.set(payment.cardId, outcome.stateAfter);
      changed.add(payment.cardId);
      const stored = { decision: outcome.decision, origin };
      decidedHere.set(payment.paymentId, stored);
      fresh.push(stored);
      return { kind: 'decided', decision: outcome.decision, late: outcome.late };
    },
    changedStates() {
      const out = new Map<string, CardState>();
      for (const cardId of changed) out.set(cardId, states.get(cardId) as CardState);
      return out;
    },
    newDecisions: () => fresh,
  };
}

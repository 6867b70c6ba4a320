import { ErrorBodySchema } from '@streamkit/http';
import { Id, PaymentDecision } from '@streamkit/schemas';
import Type from 'typebox';

/** The JSON shapes the gateway answers with (errors: @streamkit/http's ErrorBodySchema); declared on the routes and in the README. */
export const AcceptedBody = Type.Object({ paymentId: Id, status: Type.Literal('accepted') });

export const DecidedBody = Type.Object({
  paymentId: Id,
  status: Type.Literal('decided'),
  decision: PaymentDecision,
});

/** Accepted, not decided yet (also what a long-poll answers at its deadline). */
export const PendingBody = Type.Object({ paymentId: Id, status: Type.Literal('pending') });

export const PaymentParams = Type.Object({ paymentId: Id }, { additionalProperties: false });

export function paymentQuery(maxWaitMs: number) {
  return Type.Object(
    { waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: maxWaitMs })) },
    { additionalProperties: false },
  );
}

/**
 * POST /payments' 503: the common error body, with the contract a client must follow (the API docs
 * in src/gateway/README.md say the same).
 */
export const OutcomeUnknownBody = Type.Object(ErrorBodySchema.properties, {
  description:
    'Outcome unknown: Kafka did not acknowledge the payment in time, or the gateway is saturated. ' +
    'The payment may still be decided. Retry after Retry-After with the same paymentId: POST ' +
    '/payments is idempotent on paymentId, and each paymentId gets exactly one decision.',
});

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

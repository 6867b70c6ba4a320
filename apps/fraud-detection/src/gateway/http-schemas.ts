import { Id, PaymentDecision } from '@streamkit/schemas';
import Type from 'typebox';

/** The JSON shapes the gateway answers with; declared on the routes and in the README. */
export const FieldErrorList = Type.Array(Type.Object({ field: Type.String(), message: Type.String() }));

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.Optional(Type.String()),
  fields: Type.Optional(FieldErrorList),
});

export const AcceptedBody = Type.Object({ paymentId: Id, status: Type.Literal('accepted') });

export const DecidedBody = Type.Object({
  paymentId: Id,
  status: Type.Literal('decided'),
  decision: PaymentDecision,
});

export const NotDecidedBody = Type.Object({
  paymentId: Type.String(),
  status: Type.Enum(['pending', 'unknown']),
});

export const PaymentParams = Type.Object({ paymentId: Id }, { additionalProperties: false });

export function paymentQuery(maxWaitMs: number) {
  return Type.Object(
    { waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: maxWaitMs })) },
    { additionalProperties: false },
  );
}

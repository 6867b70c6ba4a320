import Type, { type Static } from 'typebox';
import { CountryCode, CurrencyCode, Id, IpAddress, Score, Text, Timestamp } from './common.ts';
import { compileValidator } from './validator.ts';

/** 10^11 minor units: a billion in two-decimal currencies; anything larger is a bug or an attack. */
export const MAX_PAYMENT_AMOUNT_MINOR = 100_000_000_000;

/** A card payment as the payment gateway submits it. */
export const Payment = Type.Object(
  {
    paymentId: Id,
    cardId: Id,
    accountId: Id,
    merchantId: Id,
    mcc: Type.String({
      pattern: '^[0-9]{4}$',
      description: 'ISO 18245 merchant category code',
      errorMessage: { pattern: 'must be a 4-digit merchant category code, e.g. "5411"' },
    }),
    amount: Type.Integer({
      minimum: 1,
      maximum: MAX_PAYMENT_AMOUNT_MINOR,
      description: 'in minor units of the currency (cents)',
    }),
    currency: CurrencyCode,
    country: CountryCode,
    ip: Type.Optional(IpAddress),
    deviceId: Type.Optional(Id),
    ts: Timestamp,
  },
  { additionalProperties: false },
);
export type Payment = Static<typeof Payment>;
export const paymentValidator = compileValidator('Payment', Payment);

export const Decision = Type.Enum(['approve', 'review', 'decline']);
export type Decision = Static<typeof Decision>;

/** Why a payment was flagged: human-readable reasons and the ids of the rules that fired. */
const Reasons = Type.Array(Text(200), { maxItems: 32 });
const RuleIds = Type.Array(Id, { maxItems: 32 });

/** The scorer's verdict on one payment. */
export const PaymentDecision = Type.Object(
  {
    paymentId: Id,
    cardId: Id,
    decision: Decision,
    score: Score,
    reasons: Reasons,
    ruleIds: RuleIds,
    modelVersion: Text(64),
    decidedAt: Timestamp,
    /** the payment's own ts, so decision latency can be measured end to end */
    paymentTs: Timestamp,
  },
  { additionalProperties: false },
);
export type PaymentDecision = Static<typeof PaymentDecision>;
export const paymentDecisionValidator = compileValidator('PaymentDecision', PaymentDecision);

/** A payment held for review or declined, as the alert system receives it. */
export const FraudAlert = Type.Object(
  {
    alertId: Id,
    paymentId: Id,
    cardId: Id,
    accountId: Id,
    merchantId: Id,
    amount: Type.Integer({ minimum: 1, maximum: MAX_PAYMENT_AMOUNT_MINOR }),
    currency: CurrencyCode,
    country: CountryCode,
    decision: Type.Enum(['review', 'decline']),
    score: Score,
    reasons: Reasons,
    ruleIds: RuleIds,
    modelVersion: Text(64),
    paymentTs: Timestamp,
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export type FraudAlert = Static<typeof FraudAlert>;
export const fraudAlertValidator = compileValidator('FraudAlert', FraudAlert);

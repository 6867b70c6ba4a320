import { describe, expect, it } from 'vitest';
import {
  fraudAlertValidator,
  MAX_PAYMENT_AMOUNT_MINOR,
  paymentDecisionValidator,
  paymentValidator,
} from '../src/index.ts';
import {
  errorsOf,
  exampleFraudAlert,
  examplePayment,
  examplePaymentDecision,
  itRejects,
  withFields,
} from './examples.ts';

describe('Payment', () => {
  it('accepts a valid payment, with and without the optional ip and deviceId', () => {
    expect(paymentValidator.validate(examplePayment)).toEqual({ ok: true, value: examplePayment });
    expect(
      errorsOf(paymentValidator, withFields(examplePayment, { ip: undefined, deviceId: undefined })),
    ).toEqual([]);
    expect(paymentValidator.is(withFields(examplePayment, { ip: '2001:db8::1' }))).toBe(true);
  });

  itRejects('rejects a %s field', paymentValidator, examplePayment, [
    ['missing', { cardId: undefined }, 'cardId', 'is required'],
    ['extra', { cvv: '123' }, 'cvv', 'is not allowed'],
    ['wrong type', { amount: '12.99' }, 'amount', 'must be an integer'],
    ['fractional amount', { amount: 12.5 }, 'amount', 'must be an integer'],
    ['zero amount', { amount: 0 }, 'amount', 'must be >= 1'],
    ['negative amount', { amount: -5 }, 'amount', 'must be >= 1'],
    [
      'amount over the bound',
      { amount: MAX_PAYMENT_AMOUNT_MINOR + 1 },
      'amount',
      `must be <= ${MAX_PAYMENT_AMOUNT_MINOR}`,
    ],
    ['unknown currency', { currency: 'ZZZ' }, 'currency', 'must be an ISO 4217 currency code, e.g. "EUR"'],
    ['"no currency" code', { currency: 'XXX' }, 'currency', 'must be an ISO 4217 currency code, e.g. "EUR"'],
    ['lower-case currency', { currency: 'eur' }, 'currency', 'must be an ISO 4217 currency code, e.g. "EUR"'],
    [
      'unknown country',
      { country: 'XX' },
      'country',
      'must be an ISO 3166-1 alpha-2 country code, e.g. "DE"',
    ],
    [
      'alpha-3 country',
      { country: 'DEU' },
      'country',
      'must be an ISO 3166-1 alpha-2 country code, e.g. "DE"',
    ],
    ['3-digit mcc', { mcc: '541' }, 'mcc', 'must be a 4-digit merchant category code, e.g. "5411"'],
    ['numeric mcc', { mcc: 5411 }, 'mcc', 'must be a string'],
    ['bad ip', { ip: '256.1.1.1' }, 'ip', 'must be an IPv4 or IPv6 address'],
    [
      'bad date-time',
      { ts: '2025-01-31 12:00:00' },
      'ts',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    [
      'date-time without zone',
      { ts: '2025-01-31T12:00:00' },
      'ts',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    [
      'impossible date',
      { ts: '2025-02-30T12:00:00Z' },
      'ts',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    ['empty id', { paymentId: '' }, 'paymentId', 'must not be empty'],
    [
      'id with a space',
      { merchantId: 'm 1' },
      'merchantId',
      expect.stringContaining('hold only letters, digits'),
    ],
    ['over-long id', { accountId: 'a'.repeat(65) }, 'accountId', 'must have at most 64 characters'],
  ]);

  it('reports several problems at once, one per field', () => {
    const errors = errorsOf(
      paymentValidator,
      withFields(examplePayment, { amount: 0, currency: 'ZZZ', merchantId: undefined }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(['amount', 'currency', 'merchantId']);
  });

  it('rejects values that are not objects', () => {
    expect(errorsOf(paymentValidator, null)).toEqual([{ field: '', message: 'must be an object' }]);
    expect(errorsOf(paymentValidator, [examplePayment])).toEqual([
      { field: '', message: 'must be an object' },
    ]);
  });
});

describe('PaymentDecision', () => {
  it('accepts a valid decision, including one with no reasons', () => {
    expect(errorsOf(paymentDecisionValidator, examplePaymentDecision)).toEqual([]);
    expect(
      errorsOf(paymentDecisionValidator, withFields(examplePaymentDecision, { reasons: [], ruleIds: [] })),
    ).toEqual([]);
  });

  itRejects('rejects a %s', paymentDecisionValidator, examplePaymentDecision, [
    ['unknown decision', { decision: 'maybe' }, 'decision', 'must be one of "approve", "review", "decline"'],
    ['score above 1', { score: 1.01 }, 'score', 'must be <= 1'],
    ['negative score', { score: -0.1 }, 'score', 'must be >= 0'],
    ['empty reason', { reasons: ['ok', ''] }, 'reasons/1', 'must not be empty'],
    ['bad rule id', { ruleIds: ['r 1'] }, 'ruleIds/0', expect.stringContaining('hold only letters, digits')],
    [
      'too many reasons',
      { reasons: Array.from({ length: 33 }, () => 'r') },
      'reasons',
      'must have at most 32 items',
    ],
    ['missing paymentTs', { paymentTs: undefined }, 'paymentTs', 'is required'],
    ['empty modelVersion', { modelVersion: '' }, 'modelVersion', 'must not be empty'],
  ]);
});

describe('FraudAlert', () => {
  it('accepts a valid alert', () => {
    expect(errorsOf(fraudAlertValidator, exampleFraudAlert)).toEqual([]);
  });

  itRejects('rejects an alert with a %s', fraudAlertValidator, exampleFraudAlert, [
    [
      '"approve" decision (alerts are only raised for review/decline)',
      { decision: 'approve' },
      'decision',
      'must be one of "review", "decline"',
    ],
    ['bad currency', { currency: 'EURO' }, 'currency', 'must be an ISO 4217 currency code, e.g. "EUR"'],
    ['missing createdAt', { createdAt: undefined }, 'createdAt', 'is required'],
    ['extra field', { note: 'x' }, 'note', 'is not allowed'],
  ]);
});

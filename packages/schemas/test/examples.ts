import { expect, it } from 'vitest';
import type {
  AccessLog,
  FieldError,
  FraudAlert,
  IotAlert,
  Payment,
  PaymentDecision,
  SensorReading,
  UserEvent,
  Validator,
} from '../src/index.ts';

/** One valid event of each type; tests derive invalid ones from these by changing one field. */
export const examplePayment: Payment = {
  paymentId: 'pay-0001',
  cardId: 'card-42',
  accountId: 'acct:7',
  merchantId: 'm_grocer_1',
  mcc: '5411',
  amount: 1299,
  currency: 'EUR',
  country: 'DE',
  ip: '203.0.113.9',
  deviceId: 'dev.ab12',
  ts: '2025-01-31T12:00:00.123Z',
};

export const examplePaymentDecision: PaymentDecision = {
  paymentId: 'pay-0001',
  cardId: 'card-42',
  decision: 'review',
  score: 0.73,
  reasons: ['amount 8x the card median', 'new country for card'],
  ruleIds: ['velocity.1m', 'geo.new-country'],
  modelVersion: 'gbt-2025-01-30',
  decidedAt: '2025-01-31T12:00:00.150Z',
  paymentTs: '2025-01-31T12:00:00.123Z',
};

export const exampleFraudAlert: FraudAlert = {
  alertId: '0b5e8a4e-8f1c-4c31-9d0e-2f5b7a1c9d11',
  paymentId: 'pay-0001',
  cardId: 'card-42',
  accountId: 'acct:7',
  merchantId: 'm_grocer_1',
  amount: 1299,
  currency: 'EUR',
  country: 'DE',
  decision: 'decline',
  score: 0.97,
  reasons: ['card seen in 3 countries within 10 minutes'],
  ruleIds: ['cep.impossible-travel'],
  modelVersion: 'gbt-2025-01-30',
  paymentTs: '2025-01-31T12:00:00.123Z',
  createdAt: '2025-01-31T12:00:00.151+00:00',
};

export const exampleUserEvent: UserEvent = {
  eventId: 'ev-9',
  type: 'add_to_cart',
  userId: 'user-5',
  sessionId: 'sess-77',
  productId: 'sku-123',
  ts: '2025-01-31T13:00:00+01:00',
};

export const exampleSensorReading: SensorReading = {
  deviceId: 'sensor-0007',
  ts: '2025-01-31T12:00:05Z',
  seq: 0,
  metrics: { temperature: -12.5, humidity: 40, pressure: 1013.25, battery: 99.5, vibration: 0 },
};

export const exampleIotAlert: IotAlert = {
  alertId: 'alert-1',
  deviceId: 'sensor-0007',
  ts: '2025-01-31T12:00:05Z',
  windowStart: '2025-01-31T11:59:05Z',
  kind: 'zscore',
  metric: 'temperature',
  value: 87.1,
  zScore: 4.2,
  message: 'temperature 4.2 standard deviations above the 60 s mean',
  createdAt: '2025-01-31T12:00:06Z',
};

export const exampleAccessLog: AccessLog = {
  host: 'web-1.shop.example',
  ts: '2025-01-31T12:00:00Z',
  method: 'GET',
  path: '/products/123',
  route: '/products/:id',
  status: 404,
  statusClass: '4xx',
  bytes: 512,
  durationMs: 3.25,
  clientIp: '2001:db8::7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/134.0',
  uaFamily: 'Firefox',
  isBot: false,
  referrer: 'https://shop.example/',
  source: 'file',
};

/** A copy of `base` with some fields replaced or (with `undefined`) removed. */
export function withFields(base: object, changes: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

/** The field errors a validator reports for `value`, or [] when it is valid. */
export function errorsOf(validator: Validator<unknown>, value: unknown): readonly FieldError[] {
  const result = validator.validate(value);
  return result.ok ? [] : result.errors;
}

/** A change that makes a valid example invalid: what it is, the changed fields, the field reported, its message. */
export type Rejection = readonly [
  kind: string,
  changes: Record<string, unknown>,
  field: string,
  message: unknown,
];

/** One test per rejection (`title` formats its kind): `example` with its changes is reported at its field. */
export function itRejects(
  title: string,
  validator: Validator<unknown>,
  example: object,
  rejections: readonly Rejection[],
): void {
  it.each(rejections)(title, (_kind, changes, field, message) => {
    expect(errorsOf(validator, withFields(example, changes))).toContainEqual({ field, message });
  });
}

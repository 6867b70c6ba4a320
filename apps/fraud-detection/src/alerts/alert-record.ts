import type { FraudAlert } from '@streamkit/schemas';
import Type, { type Static } from 'typebox';

/** An alert as the API returns it: the event plus what the alert system added. */
export const AlertRecord = Type.Object({
  alertId: Type.String(),
  paymentId: Type.String(),
  cardId: Type.String(),
  accountId: Type.String(),
  merchantId: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  country: Type.String(),
  decision: Type.Union([Type.Literal('review'), Type.Literal('decline')]),
  score: Type.Number(),
  reasons: Type.Array(Type.String()),
  ruleIds: Type.Array(Type.String()),
  modelVersion: Type.String(),
  paymentTs: Type.String(),
  createdAt: Type.String(),
  receivedAt: Type.String(),
  acknowledged: Type.Boolean(),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  ackNote: Type.Union([Type.String(), Type.Null()]),
});
export type AlertRecord = Static<typeof AlertRecord>;

/** A row of fraud_alerts as pg returns it (bigint as string, timestamptz as Date). */
export interface AlertRow {
  alert_id: string;
  payment_id: string;
  card_id: string;
  account_id: string;
  merchant_id: string;
  amount: string;
  currency: string;
  country: string;
  decision: 'review' | 'decline';
  score: number;
  reasons: string[];
  rule_ids: string[];
  model_version: string;
  payment_ts: Date;
  created_at: Date;
  received_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  ack_note: string | null;
}

const ALERT_COLUMNS = [
  'alert_id',
  'payment_id',
  'card_id',
  'account_id',
  'merchant_id',
  'amount',
  'currency',
  'country',
  'decision',
  'score',
  'reasons',
  'rule_ids',
  'model_version',
  'payment_ts',
  'created_at',
  'received_at',
  'acknowledged_at',
  'acknowledged_by',
  'ack_note',
] as const;

/** The select list of an AlertRow, optionally qualified by a table alias. */
export function alertColumns(alias?: string): string {
  return ALERT_COLUMNS.map((c) => (alias === undefined ? c : `${alias}.${c}`)).join(', ');
}

export function toAlertRecord(row: AlertRow): AlertRecord {
  return {
    alertId: row.alert_id,
    paymentId: row.payment_id,
    cardId: row.card_id,
    accountId: row.account_id,
    merchantId: row.merchant_id,
    amount: Number(row.amount),
    currency: row.currency,
    country: row.country,
    decision: row.decision,
    score: row.score,
    reasons: row.reasons,
    ruleIds: row.rule_ids,
    modelVersion: row.model_version,
    paymentTs: row.payment_ts.toISOString(),
    createdAt: row.created_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    acknowledged: row.acknowledged_at !== null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by,
    ackNote: row.ack_note,
  };
}

/**
 * The alerts as 15 columns (one array per field, in the insert's column order; see alert-sink.ts):
 * a batch is one statement whatever its size.
 */
export function alertInsertColumns(alerts: readonly FraudAlert[]): unknown[][] {
  const column = <V>(field: (alert: FraudAlert) => V): V[] => alerts.map(field);
  return [
    column((a) => a.paymentId),
    column((a) => a.alertId),
    column((a) => a.cardId),
    column((a) => a.accountId),
    column((a) => a.merchantId),
    column((a) => a.amount),
    column((a) => a.currency),
    column((a) => a.country),
    column((a) => a.decision),
    column((a) => a.score),
    column((a) => JSON.stringify(a.reasons)),
    column((a) => JSON.stringify(a.ruleIds)),
    column((a) => a.modelVersion),
    column((a) => a.paymentTs),
    column((a) => a.createdAt),
  ];
}

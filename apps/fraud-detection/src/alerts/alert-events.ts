import type { AlertRecord } from './alert-record.ts';

/** One entry of the ordered change log that SSE subscribers receive and resume from. */
export interface AlertEvent {
  /** fraud_alert_events.event_id (a bigint, kept as a decimal string); the SSE `id:`. */
  readonly eventId: string;
  readonly kind: 'alert' | 'ack';
  /** The alert as it is now (an `ack` event carries the acknowledgement). */
  readonly alert: AlertRecord;
}

/** NOTIFY channel: the payload is only the newest event id; listeners read the rows themselves. */
export const ALERT_EVENTS_CHANNEL = 'fraud_alert_events';

/**
 * Every writer of fraud_alert_events takes this transaction-level lock before taking ids, so ids
 * commit in order: a reader that saw id N has seen every id below N. Alert writes are a small
 * fraction of the payment stream, so serializing them costs little.
 */
export const ALERT_EVENTS_LOCK_KEY = 'streamkit.fraud.alert_events';
export const ALERT_EVENTS_LOCK_SQL = `select pg_advisory_xact_lock(hashtext('${ALERT_EVENTS_LOCK_KEY}'))`;

import type { FraudAlert } from '@streamkit/schemas';
import type { Pool } from 'pg';
import { ALERT_EVENTS_CHANNEL, ALERT_EVENTS_LOCK_KEY } from './alert-events.ts';
import { alertInsertColumns } from './alert-record.ts';

export interface AlertSink {
  /**
   * Stores a batch idempotently: alerts already stored (same paymentId, or same alertId) change
   * nothing. For the new ones, in the same transaction: an `alert` event, one webhook delivery per
   * URL, and a NOTIFY. Returns the alert ids that were new.
   */
  write(alerts: readonly FraudAlert[]): Promise<string[]>;
}

/**
 * The whole batch is one statement (its own transaction, one round trip): data-modifying CTEs see
 * the same snapshot, so the events and deliveries are inserted from the alert insert's RETURNING
 * (only the alerts that were new), and the final select NOTIFYs when there were any. The events
 * lock is taken by a one-time filter of the alert insert, i.e. before any event id is drawn, and
 * held until the commit (see ALERT_EVENTS_LOCK_KEY). A column per field, as arrays: the statement
 * text is the same for every batch size.
 */
const WRITE_BATCH_SQL = `
with locked as (select pg_advisory_xact_lock(hashtext($1)) is not null as held),
new_alerts as (
  insert into fraud_alerts (payment_id, alert_id, card_id, account_id, merchant_id, amount, currency,
    country, decision, score, reasons, rule_ids, model_version, payment_ts, created_at)
  select b.payment_id, b.alert_id, b.card_id, b.account_id, b.merchant_id, b.amount, b.currency,
    b.country, b.decision, b.score, b.reasons::jsonb, b.rule_ids::jsonb, b.model_version,
    date_trunc('milliseconds', b.payment_ts), date_trunc('milliseconds', b.created_at)
  from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
    $10::text[], $11::text[], $12::float8[], $13::text[], $14::text[], $15::text[],
    $16::timestamptz[], $17::timestamptz[])
    as b(payment_id, alert_id, card_id, account_id, merchant_id, amount, currency, country, decision,
      score, reasons, rule_ids, model_version, payment_ts, created_at)
  where (select held from locked)
  on conflict do nothing
  returning alert_id, created_at),
events as (
  insert into fraud_alert_events (kind, alert_id)
  select 'alert', alert_id from new_alerts order by created_at, alert_id
  returning event_id),
deliveries as (
  insert into fraud_alert_deliveries (alert_id, url)
  select a.alert_id, u.url from new_alerts a cross join unnest($18::text[]) as u(url)
  on conflict do nothing)
select (select coalesce(array_agg(alert_id), '{}') from new_alerts) as ids,
  (select pg_notify($2, max(event_id)::text) from events having count(*) > 0) as notified`;

export function createAlertSink(deps: { pool: Pool; webhookUrls: readonly string[] }): AlertSink {
  const { pool, webhookUrls } = deps;
  return {
    async write(alerts) {
      // within a batch too, the first occurrence of a payment is the one kept
      const firstByPayment = new Map<string, FraudAlert>();
      for (const alert of alerts)
        if (!firstByPayment.has(alert.paymentId)) firstByPayment.set(alert.paymentId, alert);
      const unique = [...firstByPayment.values()];
      if (unique.length === 0) return [];
      const { rows } = await pool.query<{ ids: string[] }>(WRITE_BATCH_SQL, [
        ALERT_EVENTS_LOCK_KEY,
        ALERT_EVENTS_CHANNEL,
        ...alertInsertColumns(unique),
        [...webhookUrls],
      ]);
      return rows[0]?.ids ?? [];
    },
  };
}

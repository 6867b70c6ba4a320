import type { FraudAlert } from '@streamkit/schemas';
import type { Pool } from 'pg';
import { ALERT_EVENTS_CHANNEL, ALERT_EVENTS_LOCK_SQL } from './alert-events.ts';
import { alertInsertValues } from './alert-record.ts';

export interface AlertSink {
  /**
   * Stores a batch idempotently: alerts already stored (same paymentId, or same alertId) change
   * nothing. For the new ones, in the same transaction: an `alert` event, one webhook delivery per
   * URL, and a NOTIFY. Returns the alert ids that were new.
   */
  write(alerts: readonly FraudAlert[]): Promise<string[]>;
}

const COLUMNS = 15;

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
      const values: unknown[] = [];
      const tuples = unique.map((alert, row) => {
        values.push(...alertInsertValues(alert));
        const p = (i: number) => `$${row * COLUMNS + i}`;
        const cols = Array.from({ length: COLUMNS - 2 }, (_, i) => p(i + 1)).join(', ');
        // millisecond precision, so the ISO timestamps of the API are exact keyset cursors
        return `(${cols}, date_trunc('milliseconds', ${p(14)}::timestamptz), date_trunc('milliseconds', ${p(15)}::timestamptz))`;
      });
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(ALERT_EVENTS_LOCK_SQL);
        const inserted = await client.query<{ alert_id: string }>(
          `insert into fraud_alerts (payment_id, alert_id, card_id, account_id, merchant_id, amount, currency,
             country, decision, score, reasons, rule_ids, model_version, payment_ts, created_at)
           values ${tuples.join(',\n')}
           on conflict do nothing
           returning alert_id, created_at`,
          values,
        );
        const ids = inserted.rows.map((r) => r.alert_id);
        if (ids.length > 0) {
          const events = await client.query<{ last: string }>(
            `with e as (
               insert into fraud_alert_events (kind, alert_id)
               select 'alert', a.alert_id from fraud_alerts a
               where a.alert_id = any($1::text[]) order by a.created_at, a.alert_id
               returning event_id)
             select max(event_id)::text as last from e`,
            [ids],
          );
          if (webhookUrls.length > 0) {
            await client.query(
              `insert into fraud_alert_deliveries (alert_id, url)
               select a, u from unnest($1::text[]) as a cross join unnest($2::text[]) as u
               on conflict do nothing`,
              [ids, webhookUrls],
            );
          }
          await client.query('select pg_notify($1, $2)', [ALERT_EVENTS_CHANNEL, events.rows[0]?.last ?? '']);
        }
        await client.query('commit');
        return ids;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

import type { Pool } from 'pg';
import { type AlertRecord, type AlertRow, alertColumns, toAlertRecord } from './alert-record.ts';

/** A webhook delivery claimed by a worker; `attempt` already counts this one. */
export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly url: string;
  readonly attempt: number;
  readonly alert: AlertRecord;
}

export interface DeliveryStore {
  /**
   * Claims up to `limit` due deliveries (FOR UPDATE SKIP LOCKED: concurrent workers never claim
   * the same row) by counting the attempt and pushing next_attempt_at `leaseMs` ahead, so a worker
   * that dies mid-request leaves its deliveries due again once the lease ends.
   */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  markDelivered(deliveryId: string, statusCode: number): Promise<void>;
  /** Schedules another attempt after `retryInMs`, or gives up (status failed) when it is undefined. */
  markAttemptFailed(
    deliveryId: string,
    failure: { error: string; statusCode: number | undefined; retryInMs: number | undefined },
  ): Promise<void>;
}

export function createDeliveryStore(pool: Pool): DeliveryStore {
  return {
    async claimDue(limit, leaseMs) {
      const { rows } = await pool.query<AlertRow & { delivery_id: string; url: string; attempts: number }>(
        `with due as (
           select delivery_id from fraud_alert_deliveries
           where status = 'pending' and next_attempt_at <= now()
           order by next_attempt_at limit $1
           for update skip locked)
         update fraud_alert_deliveries d
         set attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
         from due, fraud_alerts a
         where d.delivery_id = due.delivery_id and a.alert_id = d.alert_id
         returning d.delivery_id::text, d.url, d.attempts, ${alertColumns('a')}`,
        [limit, leaseMs],
      );
      return rows.map((row) => ({
        deliveryId: row.delivery_id,
        url: row.url,
        attempt: row.attempts,
        alert: toAlertRecord(row),
      }));
    },

    async markDelivered(deliveryId, statusCode) {
      await pool.query(
        `update fraud_alert_deliveries
         set status = 'delivered', delivered_at = now(), last_status_code = $2, last_error = null
         where delivery_id = $1`,
        [deliveryId, statusCode],
      );
    },

    async markAttemptFailed(deliveryId, { error, statusCode, retryInMs }) {
      await pool.query(
        `update fraud_alert_deliveries
         set status = case when $4::bigint is null then 'failed' else 'pending' end,
             next_attempt_at = case when $4::bigint is null then next_attempt_at
                                    else now() + $4::bigint * interval '1 millisecond' end,
             last_error = $2, last_status_code = $3
         where delivery_id = $1 and status = 'pending'`,
        [deliveryId, error.slice(0, 1000), statusCode ?? null, retryInMs ?? null],
      );
    },
  };
}

import type { Pool } from 'pg';
import { ALERT_EVENTS_CHANNEL, ALERT_EVENTS_LOCK_SQL, type AlertEvent } from './alert-events.ts';
import { type AlertRecord, type AlertRow, alertColumns, toAlertRecord } from './alert-record.ts';
import { type AlertCursor, decodeCursor, encodeCursor } from './cursor.ts';

export interface AlertFilter {
  readonly cardId?: string;
  readonly decision?: 'review' | 'decline';
  /** ISO-8601: alerts created at or after this instant. */
  readonly since?: string;
  readonly acknowledged?: boolean;
}

export interface AlertPage {
  readonly alerts: AlertRecord[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export type AckResult =
  | { readonly status: 'acknowledged' | 'already-acknowledged'; readonly alert: AlertRecord }
  | { readonly status: 'not-found' };

export interface AlertStore {
  /** Newest first (created_at desc, alert_id desc); keyset pagination. Throws InvalidCursorError. */
  list(filter: AlertFilter, page: { limit: number; cursor?: string }): Promise<AlertPage>;
  get(alertId: string): Promise<AlertRecord | undefined>;
  /** Idempotent: the first acknowledgement wins, later ones return it unchanged. */
  acknowledge(alertId: string, by: string, note: string | undefined): Promise<AckResult>;
  /** The change log after `eventId`, oldest first, at most `limit` entries. */
  eventsAfter(eventId: string, limit: number): Promise<AlertEvent[]>;
  /** The newest event id ('0' when there is none). */
  latestEventId(): Promise<string>;
}

export function createAlertStore(pool: Pool): AlertStore {
  return {
    async list(filter, page) {
      const where: string[] = [];
      const args: unknown[] = [];
      const arg = (value: unknown) => {
        args.push(value);
        return `$${args.length}`;
      };
      if (filter.cardId !== undefined) where.push(`card_id = ${arg(filter.cardId)}`);
      if (filter.decision !== undefined) where.push(`decision = ${arg(filter.decision)}`);
      if (filter.since !== undefined) where.push(`created_at >= ${arg(filter.since)}::timestamptz`);
      if (filter.acknowledged !== undefined) {
        where.push(filter.acknowledged ? 'acknowledged_at is not null' : 'acknowledged_at is null');
      }
      if (page.cursor !== undefined) {
        const after: AlertCursor = decodeCursor(page.cursor);
        where.push(`(created_at, alert_id) < (${arg(after.createdAt)}::timestamptz, ${arg(after.alertId)})`);
      }
      // one row more than asked tells whether there is a next page
      const { rows } = await pool.query<AlertRow>(
        `select ${alertColumns()} from fraud_alerts
         ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
         order by created_at desc, alert_id desc limit ${arg(page.limit + 1)}`,
        args,
      );
      const alerts = rows.slice(0, page.limit).map(toAlertRecord);
      const last = alerts.at(-1);
      const nextCursor =
        rows.length > page.limit && last !== undefined
          ? encodeCursor({ createdAt: last.createdAt, alertId: last.alertId })
          : null;
      return { alerts, nextCursor };
    },

    async get(alertId) {
      const { rows } = await pool.query<AlertRow>(
        `select ${alertColumns()} from fraud_alerts where alert_id = $1`,
        [alertId],
      );
      return rows[0] === undefined ? undefined : toAlertRecord(rows[0]);
    },

    async acknowledge(alertId, by, note) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(ALERT_EVENTS_LOCK_SQL);
        const updated = await client.query<AlertRow>(
          `update fraud_alerts set acknowledged_at = now(), acknowledged_by = $2, ack_note = $3
           where alert_id = $1 and acknowledged_at is null returning ${alertColumns()}`,
          [alertId, by, note ?? null],
        );
        if (updated.rows[0] !== undefined) {
          const event = await client.query<{ event_id: string }>(
            `insert into fraud_alert_events (kind, alert_id) values ('ack', $1) returning event_id::text`,
            [alertId],
          );
          await client.query('select pg_notify($1, $2)', [
            ALERT_EVENTS_CHANNEL,
            event.rows[0]?.event_id ?? '',
          ]);
          await client.query('commit');
          return { status: 'acknowledged', alert: toAlertRecord(updated.rows[0]) };
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const existing = await this.get(alertId);
      return existing === undefined
        ? { status: 'not-found' }
        : { status: 'already-acknowledged', alert: existing };
    },

    async eventsAfter(eventId, limit) {
      const { rows } = await pool.query<AlertRow & { event_id: string; kind: 'alert' | 'ack' }>(
        `select e.event_id::text, e.kind, ${alertColumns('a')}
         from fraud_alert_events e join fraud_alerts a using (alert_id)
         where e.event_id > $1::bigint order by e.event_id limit $2`,
        [eventId, limit],
      );
      return rows.map((row) => ({ eventId: row.event_id, kind: row.kind, alert: toAlertRecord(row) }));
    },

    async latestEventId() {
      const { rows } = await pool.query<{ id: string }>(
        'select coalesce(max(event_id), 0)::text as id from fraud_alert_events',
      );
      return rows[0]?.id ?? '0';
    },
  };
}

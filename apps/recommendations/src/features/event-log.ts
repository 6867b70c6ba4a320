import type { IncomingMessage } from '@streamkit/kafka';
import type { UserEvent } from '@streamkit/schemas';
import type { Pool } from 'pg';

/** The Kafka record that first carried an event. */
export interface EventOwner {
  partition: number;
  offset: string;
}

/**
 * Appends events to the offline event log (idempotent by eventId) and returns, for every event of
 * the batch, the record that owns it: a replay of the same record owns its event again, a re-sent
 * duplicate (same eventId, another record) does not.
 */
export async function appendEvents(
  pool: Pool,
  messages: readonly IncomingMessage<UserEvent>[],
): Promise<Map<string, EventOwner>> {
  if (messages.length === 0) return new Map();
  const v = messages.map((m) => m.value);
  // one round trip: the rows this statement inserted (RETURNING) plus the ones already there (the
  // outer SELECT reads the snapshot from before the insert, so the two sets do not overlap)
  // a named statement: each connection parses and plans it once, not at every run (≈ 300 a second)
  const { rows } = await pool.query<{ event_id: string; kafka_partition: number; kafka_offset: string }>({
    name: 'recs-append-events',
    text: `WITH inserted AS (
       INSERT INTO recs_events (event_id, type, user_id, session_id, product_id, ts, kafka_partition, kafka_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[], $8::bigint[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, kafka_partition, kafka_offset)
     SELECT event_id, kafka_partition, kafka_offset FROM inserted
     UNION ALL
     SELECT event_id, kafka_partition, kafka_offset FROM recs_events
      WHERE event_id = ANY($1::text[]) AND event_id NOT IN (SELECT event_id FROM inserted)`,
    values: [
      v.map((e) => e.eventId),
      v.map((e) => e.type),
      v.map((e) => e.userId),
      v.map((e) => e.sessionId),
      v.map((e) => e.productId),
      v.map((e) => e.ts),
      messages.map((m) => m.partition),
      messages.map((m) => m.offset),
    ],
  });
  return new Map(
    rows.map((r) => [r.event_id, { partition: r.kafka_partition, offset: String(r.kafka_offset) }]),
  );
}

/** How many events the offline store holds. */
export async function countEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM recs_events');
  return Number(rows[0]?.n ?? 0);
}

/** Events with event time in [fromMs, toMs), in time order: the trainer's point-in-time input. */
export async function readEvents(pool: Pool, fromMs: number, toMs: number): Promise<UserEvent[]> {
  const { rows } = await pool.query<{
    event_id: string;
    type: UserEvent['type'];
    user_id: string;
    session_id: string;
    product_id: string;
    ts: Date;
  }>(
    `SELECT event_id, type, user_id, session_id, product_id, ts FROM recs_events
      WHERE ts >= $1 AND ts < $2 ORDER BY ts, event_id`,
    [new Date(fromMs), new Date(toMs)],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.type,
    userId: r.user_id,
    sessionId: r.session_id,
    productId: r.product_id,
    ts: r.ts.toISOString(),
  }));
}

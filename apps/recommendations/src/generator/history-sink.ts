import type { TypedProducer } from '@streamkit/kafka';
import type { UserEvent } from '@streamkit/schemas';
import type { Pool } from 'pg';
import type { RecsTopics } from '../common/topics.ts';

const CHUNK = 2_000;

/**
 * Backfills the offline store directly (for training without replaying through Kafka).
 * kafka_partition −1 marks backfilled rows; idempotent by eventId. Such events never reach the
 * online store: send history through Kafka (sendHistory) when the features should see it.
 */
export async function backfillOfflineStore(
  pool: Pool,
  events: readonly UserEvent[],
  onProgress: (written: number) => void = () => undefined,
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < events.length; start += CHUNK) {
    const chunk = events.slice(start, start + CHUNK);
    const result = await pool.query(
      `INSERT INTO recs_events (event_id, type, user_id, session_id, product_id, ts, kafka_partition, kafka_offset)
       SELECT e, t, u, s, p, ts, -1, o FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bigint[])
         AS x(e, t, u, s, p, ts, o)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        chunk.map((e) => e.eventId),
        chunk.map((e) => e.type),
        chunk.map((e) => e.userId),
        chunk.map((e) => e.sessionId),
        chunk.map((e) => e.productId),
        chunk.map((e) => e.ts),
        chunk.map((_, i) => start + i),
      ],
    );
    inserted += result.rowCount ?? 0;
    onProgress(Math.min(start + CHUNK, events.length));
  }
  return inserted;
}

/** Sends history through the pipeline's front door topic (features worker → both stores). */
export async function sendHistory(
  producer: TypedProducer,
  topics: RecsTopics,
  events: readonly UserEvent[],
): Promise<void> {
  for (let start = 0; start < events.length; start += CHUNK) {
    await producer.send(
      topics.events,
      events.slice(start, start + CHUNK).map((value) => ({ value })),
    );
  }
}

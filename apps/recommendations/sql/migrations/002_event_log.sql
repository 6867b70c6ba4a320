-- The offline feature store's event log: every shopper event once (idempotent by event_id).
-- kafka_partition/kafka_offset name the record that first carried the event: a replay of that
-- record is recognised as the same, a re-sent duplicate (same eventId, other offset) is not.
CREATE TABLE IF NOT EXISTS recs_events (
  event_id        text PRIMARY KEY,
  type            text NOT NULL CHECK (type IN ('view', 'add_to_cart', 'purchase')),
  user_id         text NOT NULL,
  session_id      text NOT NULL,
  product_id      text NOT NULL,
  ts              timestamptz NOT NULL,
  kafka_partition integer NOT NULL,
  kafka_offset    bigint NOT NULL,
  ingested_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS recs_events_ts ON recs_events (ts);
CREATE INDEX IF NOT EXISTS recs_events_user_ts ON recs_events (user_id, ts);

-- Retention (src/features/retention.ts): the offline store's rows expire by when they arrived
-- (wall clock), not by the event time they carry, so a re-sent copy of an event is recognised for
-- as long as the retention lasts and a record dated 2099 expires like any other.
CREATE INDEX IF NOT EXISTS recs_events_ingested ON recs_events (ingested_at);
CREATE INDEX IF NOT EXISTS recs_user_feature_snapshots_captured ON recs_user_feature_snapshots (captured_at);

-- Periodic snapshots of users' online features (offline side of the feature store).
-- feature_ts is the event time the values are valid at: point-in-time retrieval for a training
-- example at time T takes the latest snapshot with feature_ts <= T, never a later one.
CREATE TABLE IF NOT EXISTS recs_user_feature_snapshots (
  user_id     text NOT NULL,
  feature_ts  timestamptz NOT NULL,
  features    jsonb NOT NULL,
  captured_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, feature_ts)
);

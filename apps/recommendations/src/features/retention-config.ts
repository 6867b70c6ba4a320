import { env } from '@streamkit/config';

const DAY_MS = 86_400_000;

/** How long the features worker keeps the offline store's rows, and how it prunes (README: Retention). */
export const featuresRetentionEnv = Object.freeze({
  /** recs_events by ingested_at: the trainer's history and the dedup of re-sent events. */
  eventsRetentionMs: env.int('FEATURES_EVENTS_RETENTION_MS', { default: 14 * DAY_MS, min: 60_000 }),
  /** recs_user_feature_snapshots by captured_at: point-in-time features for training examples. */
  snapshotsRetentionMs: env.int('FEATURES_SNAPSHOTS_RETENTION_MS', { default: 14 * DAY_MS, min: 60_000 }),
  /** Also how often co-occurrence keys of products not in the catalog are removed. */
  retentionIntervalMs: env.int('FEATURES_RETENTION_INTERVAL_MS', { default: 600_000, min: 100 }),
  retentionBatchRows: env.int('FEATURES_RETENTION_BATCH_ROWS', { default: 5000, min: 1, max: 100_000 }),
});

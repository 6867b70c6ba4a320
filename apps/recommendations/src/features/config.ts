import { env } from '@streamkit/config';
import { recsCommonEnv } from '../common/env.ts';

const kafkaName = /^[A-Za-z0-9._-]+$/;

/** The features worker's environment: the common settings plus its own. */
export const featuresEnv = Object.freeze({
  ...recsCommonEnv,
  metricsPort: env.port('METRICS_PORT', { default: 9111, allowZero: true }),
  /** Defaults to `${KAFKA_TOPIC_PREFIX}recs-features`: deployments sharing a broker get their own group. */
  groupId: env.string('FEATURES_GROUP_ID', { optional: true, pattern: kafkaName }),
  eventsPartitions: env.int('EVENTS_PARTITIONS', { default: 3, min: 1, max: 1000 }),
  maxBatchSize: env.int('FEATURES_MAX_BATCH_SIZE', { default: 500, min: 1, max: 10_000 }),
  sessionTimeoutMs: env.int('FEATURES_SESSION_TIMEOUT_MS', { default: 30_000, min: 6000, max: 300_000 }),
  fetchMaxWaitMs: env.int('FEATURES_FETCH_MAX_WAIT_MS', { default: 50, min: 0, max: 10_000 }),
  /**
   * Offsets committed at most this often, not after every run: the processed markers already make a
   * replay exact, so a crash only costs re-reading up to this much; 0 commits each run.
   */
  commitIntervalMs: env.int('FEATURES_COMMIT_INTERVAL_MS', { default: 1000, min: 0, max: 60_000 }),
  /**
   * A run shorter than FEATURES_MAX_BATCH_SIZE ends no sooner than this after it began, so the next
   * fetch brings more: without it the worker loops as fast as its round trips allow, at the same
   * CPU whatever the rate (≈ 0.28 of a core at 750 events/s and at 2,000). 0: no pause.
   */
  minRunIntervalMs: env.int('FEATURES_MIN_RUN_INTERVAL_MS', { default: 25, min: 0, max: 1000 }),
  allowedLatenessMs: env.int('FEATURES_ALLOWED_LATENESS_MS', { default: 600_000, min: 0, max: 86_400_000 }),
  popularityRefreshMs: env.int('FEATURES_POPULARITY_REFRESH_MS', { default: 1000, min: 10 }),
  snapshotIntervalMs: env.int('FEATURES_SNAPSHOT_INTERVAL_MS', { default: 60_000, min: 100 }),
});

import { hostname } from 'node:os';
import { env } from '@streamkit/config';
import { fraudCommonEnv } from '../common/env.ts';

const kafkaName = /^[A-Za-z0-9._-]+$/;

/** The detector's environment: the fraud services' common settings plus its own. */
export const detectorEnv = Object.freeze({
  ...fraudCommonEnv,
  metricsPort: env.port('METRICS_PORT', { default: 9101, allowZero: true }),
  groupId: env.string('DETECTOR_GROUP_ID', { default: 'fraud-detector', pattern: kafkaName }),
  /** With the instance id it forms the transactional.id: stable per instance across restarts. */
  transactionalIdPrefix: env.string('DETECTOR_TRANSACTIONAL_ID_PREFIX', {
    default: 'fraud-detector',
    pattern: kafkaName,
  }),
  /**
   * Unique per running replica and stable across its restarts (pod name, compose container host
   * name): replicas sharing one would fence each other's transactions.
   */
  instanceId: env.string('DETECTOR_INSTANCE_ID', { default: hostname(), pattern: kafkaName }),
  paymentsPartitions: env.int('PAYMENTS_PARTITIONS', { default: 3, min: 1, max: 1000 }),
  maxBatchSize: env.int('DETECTOR_MAX_BATCH_SIZE', { default: 500, min: 1, max: 10_000 }),
  sessionTimeoutMs: env.int('DETECTOR_SESSION_TIMEOUT_MS', { default: 30_000, min: 6000, max: 300_000 }),
  reviewThreshold: env.number('DETECTOR_REVIEW_THRESHOLD', { default: 0.5, min: 0.001, max: 1 }),
  declineThreshold: env.number('DETECTOR_DECLINE_THRESHOLD', { default: 0.9, min: 0.001, max: 1 }),
  allowedLatenessMs: env.int('DETECTOR_ALLOWED_LATENESS_MS', { default: 300_000, min: 0, max: 86_400_000 }),
  cardStateTtlSeconds: env.int('DETECTOR_CARD_STATE_TTL_SECONDS', { default: 6 * 3600, min: 3600 }),
  decisionTtlSeconds: env.int('DETECTOR_DECISION_TTL_SECONDS', { default: 7 * 86_400, min: 60 }),
  rulesReloadIntervalMs: env.int('DETECTOR_RULES_RELOAD_INTERVAL_MS', { default: 30_000, min: 100 }),
  modelPollIntervalMs: env.int('DETECTOR_MODEL_POLL_INTERVAL_MS', { default: 30_000, min: 100 }),
  stateCacheCards: env.int('DETECTOR_STATE_CACHE_CARDS', { default: 20_000, min: 0, max: 10_000_000 }),
  commitLingerMs: env.int('DETECTOR_COMMIT_LINGER_MS', { default: 20, min: 0, max: 1000 }),
  // a fetch gathers 16 KiB of payments (~50) or 20 ms: at 1,000 payments/s this made 25
  // transactions a second instead of 62, the detector's CPU per payment 0.33 → 0.23 ms and the
  // broker's 0.41 → 0.30 ms (README, "Benchmarks"); the price is 50 fetches a second when idle
  fetchMinBytes: env.int('DETECTOR_FETCH_MIN_BYTES', { default: 16 * 1024, min: 1, max: 64 * 1024 * 1024 }),
  fetchMaxWaitMs: env.int('DETECTOR_FETCH_MAX_WAIT_MS', { default: 20, min: 10, max: 30_000 }),
});

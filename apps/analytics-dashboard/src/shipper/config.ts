import { env, httpServerEnv } from '@streamkit/config';
import { dashboardCommonEnv } from '../common/env.ts';

/** The shipper's environment (read once, in main.ts). */
export const shipperEnv = Object.freeze({
  ...dashboardCommonEnv,
  ...httpServerEnv(8093),
  apiKey: env.secret('SHIPPER_API_KEY', { minLength: 16 }),
  /** log files to tail (comma-separated); empty: HTTP input only */
  files: env.list('SHIPPER_FILES', { default: [] }),
  checkpointFile: env.string('SHIPPER_CHECKPOINT_FILE', { default: '.data/shipper/checkpoints.json' }),
  /** recorded as `host` for lines that do not name their server (the combined format never does) */
  logHost: env.string('SHIPPER_LOG_HOST', { optional: true, pattern: /^[A-Za-z0-9.-]+$/ }),
  maxBatchLines: env.int('SHIPPER_MAX_BATCH_LINES', { default: 2_000, min: 1, max: 50_000 }),
  /**
   * Most lines per produce request (one is in flight at a time, so this bounds throughput per
   * round trip). Lines of one host land in one partition's record batch, which must stay under the
   * broker's message.max.bytes (1 MiB): an enriched line is ≈ 440 bytes of JSON, ≤ 550 measured.
   */
  produceBatchLines: env.int('SHIPPER_PRODUCE_BATCH_LINES', { default: 1_000, min: 1, max: 10_000 }),
  pollIntervalMs: env.int('SHIPPER_POLL_MS', { default: 100, min: 1, max: 10_000 }),
  bodyLimitBytes: env.int('SHIPPER_BODY_LIMIT_BYTES', {
    default: 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
  maxLinesPerRequest: env.int('SHIPPER_MAX_LINES_PER_REQUEST', { default: 5_000, min: 1, max: 50_000 }),
  maxInFlightRequests: env.int('SHIPPER_MAX_IN_FLIGHT', { default: 8, min: 1, max: 1_000 }),
  logsPartitions: env.int('LOGS_PARTITIONS', { default: 3, min: 1, max: 10_000 }),
});

import { env } from '@streamkit/config';
import { dashboardCommonEnv } from '../common/env.ts';

/** Everything the Postgres sink reads from the environment (loaded once, in main.ts). */
export const sinkConfigSpec = Object.freeze({
  ...dashboardCommonEnv,
  groupId: env.string('SINK_GROUP_ID', { default: 'dashboard-sink', pattern: /^[A-Za-z0-9._-]+$/ }),
  /** Partitions of logs.http when the sink creates it first (the shipper uses the same). */
  logsPartitions: env.int('LOGS_PARTITIONS', { default: 3, min: 1, max: 1000 }),
  maxBatchSize: env.int('SINK_MAX_BATCH_SIZE', { default: 2000, min: 1, max: 50_000 }),
  /** A replica silent this long (a crash) leaves the group and its partitions move to the others. */
  sessionTimeoutMs: env.int('SINK_SESSION_TIMEOUT_MS', { default: 30_000, min: 6000, max: 300_000 }),
  /** Lines further behind the newest event time than this are late: dropped and counted. */
  allowedLatenessMs: env.int('SINK_ALLOWED_LATENESS_MS', { default: 3_600_000, min: 0 }),
  /** Raw lines (the dedup state) are kept this long behind the newest event time; ≥ the lateness. */
  linesRetentionMs: env.int('SINK_LINES_RETENTION_MS', { default: 2 * 3_600_000, min: 0 }),
  /** The views' windows are kept this long (what the dashboard can show). */
  rollupRetentionMs: env.int('SINK_ROLLUP_RETENTION_MS', { default: 7 * 86_400_000, min: 0 }),
  retentionIntervalMs: env.int('SINK_RETENTION_INTERVAL_MS', { default: 60_000, min: 1000 }),
  retentionBatchRows: env.int('SINK_RETENTION_BATCH_ROWS', { default: 5_000, min: 1, max: 100_000 }),
});

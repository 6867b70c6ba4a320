import { env } from '@streamkit/config';

const DAY_MS = 86_400_000;

/** How long the processor keeps what it writes, and how it prunes (README: Retention). */
export const processorRetentionEnv = Object.freeze({
  /** The lake's raw readings: whole hour partitions, by their event-time hour. */
  lakeRawRetentionMs: env.int('LAKE_RAW_RETENTION_MS', { default: 30 * DAY_MS, min: 3_600_000 }),
  /** The lake's closed 1-minute windows. */
  lakeWindowsRetentionMs: env.int('LAKE_WINDOWS_RETENTION_MS', { default: 90 * DAY_MS, min: 3_600_000 }),
  /** The lake's alerts. */
  lakeAlertsRetentionMs: env.int('LAKE_ALERTS_RETENTION_MS', { default: 90 * DAY_MS, min: 3_600_000 }),
  /** iot_window_aggregates (the live dashboard's windows) by window_start. */
  liveWindowsRetentionMs: env.int('PROCESSOR_LIVE_WINDOWS_RETENTION_MS', {
    default: 7 * DAY_MS,
    min: 3_600_000,
  }),
  /** iot_late_readings (per-device late counters) by their last update. */
  lateCountsRetentionMs: env.int('PROCESSOR_LATE_COUNTS_RETENTION_MS', {
    default: 30 * DAY_MS,
    min: 3_600_000,
  }),
  retentionIntervalMs: env.int('PROCESSOR_RETENTION_INTERVAL_MS', { default: 600_000, min: 100 }),
  retentionBatchRows: env.int('PROCESSOR_RETENTION_BATCH_ROWS', { default: 5000, min: 1, max: 100_000 }),
});

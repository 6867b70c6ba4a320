import { SENSOR_METRIC_NAMES } from '@streamkit/schemas';

/**
 * Column layout of the lake's Parquet files. Times are epoch milliseconds (BIGINT): exact, and the
 * analytics views expose them as TIMESTAMPs. The hive directories add `date` and `hour`.
 */
export const rawColumnsSql = [
  'device_id VARCHAR',
  'ts_ms BIGINT',
  'seq BIGINT',
  ...SENSOR_METRIC_NAMES.map((m) => `${m} DOUBLE`),
  'late BOOLEAN',
  'kafka_partition INTEGER',
  'kafka_offset BIGINT',
].join(', ');

export const windowColumnsSql = [
  'device_id VARCHAR',
  'window_start_ms BIGINT',
  'window_end_ms BIGINT',
  'reading_count INTEGER',
  ...SENSOR_METRIC_NAMES.flatMap((m) => [
    `${m}_min DOUBLE`,
    `${m}_max DOUBLE`,
    `${m}_mean DOUBLE`,
    `${m}_p95 DOUBLE`,
  ]),
].join(', ');

export const alertColumnsSql = [
  'alert_id VARCHAR',
  'device_id VARCHAR',
  'ts_ms BIGINT',
  'kind VARCHAR',
  'metric VARCHAR',
  'value DOUBLE',
  'threshold DOUBLE',
  'z_score DOUBLE',
  'message VARCHAR',
].join(', ');

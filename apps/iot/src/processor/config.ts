import { hostname } from 'node:os';
import { type Config, env } from '@streamkit/config';
import { iotCommonEnv } from '../common/env.ts';
import { iotTopicsEnv } from '../common/topics.ts';
import { defaultAnomalySettings } from './anomaly.ts';
import type { ProcessorSettings } from './processor.ts';
import { DEFAULT_DEDUP_HORIZON_MS } from './recent-readings.ts';

const kafkaName = /^[A-Za-z0-9._-]+$/;

/** The processor's environment: the IoT services' common settings plus its own. */
export const processorEnv = Object.freeze({
  ...iotCommonEnv,
  ...iotTopicsEnv,
  metricsPort: env.port('METRICS_PORT', { default: 9103, allowZero: true }),
  groupId: env.string('PROCESSOR_GROUP_ID', { default: 'iot-processor', pattern: kafkaName }),
  instanceId: env.string('PROCESSOR_INSTANCE_ID', { default: hostname(), pattern: kafkaName }),
  triggerIntervalMs: env.int('PROCESSOR_TRIGGER_INTERVAL_MS', { default: 5000, min: 10, max: 600_000 }),
  triggerMaxRecords: env.int('PROCESSOR_TRIGGER_MAX_RECORDS', { default: 50_000, min: 1, max: 5_000_000 }),
  maxRunSize: env.int('PROCESSOR_MAX_RUN_SIZE', { default: 10_000, min: 1, max: 100_000 }),
  fetchMaxBytesPerPartition: env.int('PROCESSOR_FETCH_MAX_BYTES_PER_PARTITION', {
    default: 1 << 20,
    min: 1024,
    max: 256 << 20,
  }),
  partitionsConsumedConcurrently: env.int('PROCESSOR_PARTITIONS_CONCURRENTLY', {
    default: 16,
    min: 1,
    max: 1000,
  }),
  sessionTimeoutMs: env.int('PROCESSOR_SESSION_TIMEOUT_MS', { default: 30_000, min: 6000, max: 300_000 }),
  windowMs: env.int('PROCESSOR_WINDOW_MS', { default: 60_000, min: 1000, max: 86_400_000 }),
  allowedLatenessMs: env.int('PROCESSOR_ALLOWED_LATENESS_MS', { default: 120_000, min: 0, max: 86_400_000 }),
  dedupHorizonMs: env.int('PROCESSOR_DEDUP_HORIZON_MS', {
    default: DEFAULT_DEDUP_HORIZON_MS,
    min: 0,
    max: 86_400_000,
  }),
  zThreshold: env.number('PROCESSOR_Z_THRESHOLD', {
    default: defaultAnomalySettings.zThreshold,
    min: 0.1,
    max: 100,
  }),
});

/** The micro-batch settings the configuration gives (the service and the backfill command share them). */
export function processorSettings(config: Config<typeof processorEnv>): ProcessorSettings {
  return {
    groupId: config.groupId,
    trigger: { intervalMs: config.triggerIntervalMs, maxRecords: config.triggerMaxRecords },
    windowMs: config.windowMs,
    allowedLatenessMs: config.allowedLatenessMs,
    maxFutureSkewMs: config.maxFutureSkewMs,
    dedupHorizonMs: config.dedupHorizonMs,
    anomaly: { ...defaultAnomalySettings, zThreshold: config.zThreshold },
    maxRunSize: config.maxRunSize,
    fetchMaxBytesPerPartition: config.fetchMaxBytesPerPartition,
    partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
    sessionTimeoutMs: config.sessionTimeoutMs,
  };
}

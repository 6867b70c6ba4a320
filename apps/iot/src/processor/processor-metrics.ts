import { metricsOn } from '@streamkit/telemetry';
import type { Counter, Histogram, Registry } from 'prom-client';

/** The processor's own metrics, beside the standard PipelineMetrics. */
export interface ProcessorMetrics {
  readonly batches: Counter<'outcome'>;
  readonly batchSeconds: Histogram;
  readonly batchRecords: Histogram;
  /** Readings whose window had closed: kept raw, left out of aggregates. */
  readonly lateReadings: Counter;
  /** Records below the checkpoint that a replay delivered again (skipped). */
  readonly replayedRecords: Counter;
  /** Second copies of readings already applied (the hub produces at least once): skipped. */
  readonly duplicateReadings: Counter;
  readonly closedWindows: Counter;
  readonly alerts: Counter;
  readonly lakeFiles: Counter;
}

export function createProcessorMetrics(registry: Registry): ProcessorMetrics {
  const metric = metricsOn(registry);
  return {
    batches: metric.counter('iot_processor_batches_total', 'Micro-batches by outcome (applied, failed)', [
      'outcome',
    ]),
    batchSeconds: metric.histogram(
      'iot_processor_batch_seconds',
      'Time to apply one micro-batch (lake write, fsync, checkpoint)',
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    batchRecords: metric.histogram(
      'iot_processor_batch_records',
      'Records per micro-batch',
      [1, 10, 100, 1000, 5000, 10_000, 50_000, 100_000, 500_000],
    ),
    lateReadings: metric.counter('iot_processor_late_readings_total', 'Readings beyond the allowed lateness'),
    replayedRecords: metric.counter(
      'iot_processor_replayed_records_total',
      'Records skipped as already checkpointed',
    ),
    duplicateReadings: metric.counter(
      'iot_processor_duplicate_readings_total',
      'Readings skipped as a second copy (device, seq, event time) of one already applied',
    ),
    closedWindows: metric.counter(
      'iot_processor_closed_windows_total',
      'Windows closed and written to the lake',
    ),
    alerts: metric.counter('iot_processor_alerts_total', 'Alerts raised'),
    lakeFiles: metric.counter('iot_processor_lake_files_total', 'Parquet files written'),
  };
}

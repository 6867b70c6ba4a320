import { Counter, Histogram, type Registry } from 'prom-client';

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
  const registers = [registry];
  return {
    batches: new Counter({
      name: 'iot_processor_batches_total',
      help: 'Micro-batches by outcome (applied, failed)',
      labelNames: ['outcome'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'iot_processor_batch_seconds',
      help: 'Time to apply one micro-batch (lake write, fsync, checkpoint)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    batchRecords: new Histogram({
      name: 'iot_processor_batch_records',
      help: 'Records per micro-batch',
      buckets: [1, 10, 100, 1000, 5000, 10_000, 50_000, 100_000, 500_000],
      registers,
    }),
    lateReadings: new Counter({
      name: 'iot_processor_late_readings_total',
      help: 'Readings beyond the allowed lateness',
      registers,
    }),
    replayedRecords: new Counter({
      name: 'iot_processor_replayed_records_total',
      help: 'Records skipped as already checkpointed',
      registers,
    }),
    duplicateReadings: new Counter({
      name: 'iot_processor_duplicate_readings_total',
      help: 'Readings skipped as a second copy (device, seq, event time) of one already applied',
      registers,
    }),
    closedWindows: new Counter({
      name: 'iot_processor_closed_windows_total',
      help: 'Windows closed and written to the lake',
      registers,
    }),
    alerts: new Counter({ name: 'iot_processor_alerts_total', help: 'Alerts raised', registers }),
    lakeFiles: new Counter({
      name: 'iot_processor_lake_files_total',
      help: 'Parquet files written',
      registers,
    }),
  };
}

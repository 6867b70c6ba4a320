import { DuckDBInstance } from '@duckdb/node-api';
import { createProducer, ensureTopics, type KafkaClient, type OutgoingMessage } from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import { SENSOR_METRIC_NAMES, type SensorReading } from '@streamkit/schemas';
import type { Pool } from 'pg';
import { iotTopicSpecs, iotTopics } from '../common/topics.ts';
import { tableGlob } from '../lake/paths.ts';
import type { PhaseTimings } from '../processor/micro-batch.ts';
import { createProcessor, type ProcessorSettings } from '../processor/processor.ts';
import { backfillReadings } from './readings.ts';
import { createReferenceAggregator, type ReferenceWindow } from './reference.ts';

export interface BackfillDeps {
  readonly kafka: KafkaClient;
  readonly pool: Pool;
  readonly lakeDir: string;
  readonly logger: Logger;
  /** One progress line (the command prints it). */
  readonly progress: (line: string) => void;
}

export interface BackfillSettings {
  /** Unique per run: the run's topics are `<topicPrefix>iot.telemetry`… and its devices `<runId>-d<n>`. */
  readonly runId: string;
  readonly topicPrefix: string;
  readonly readings: number;
  readonly devices: number;
  readonly partitions: number;
  readonly startMs: number;
  readonly processor: Omit<ProcessorSettings, 'groupId' | 'fromBeginning'>;
  /** Progress line every this many readings. */
  readonly progressEvery: number;
}

export interface BackfillResult {
  readonly readings: number;
  readonly produceSeconds: number;
  /** First record consumed → last micro-batch applied (Kafka → Parquet + checkpoint). */
  readonly processSeconds: number;
  readonly lakeRawRows: number;
  readonly lateReadings: number;
  readonly windows: number;
  /** Differences between the lake's windows and the reference (at most 10 listed); empty when equal. */
  readonly mismatches: string[];
  /** Milliseconds spent in each phase of the micro-batches, summed. */
  readonly phaseMs: Record<keyof PhaseTimings, number>;
}

/**
 * Generates the readings, produces them to the run's own telemetry topic (computing the reference
 * on the way), runs the processor over the backlog into the lake, then compares the lake's closed
 * windows with the reference, value for value.
 */
export async function runBackfill(deps: BackfillDeps, s: BackfillSettings): Promise<BackfillResult> {
  const topics = iotTopics(s.topicPrefix);
  await ensureTopics(deps.kafka, iotTopicSpecs(topics, s.partitions));
  const devicePrefix = `${s.runId}-d`;
  const reference = createReferenceAggregator(s.processor.windowMs, s.processor.allowedLatenessMs);

  const producer = await createProducer(deps.kafka, {
    lingerMs: 5,
    maxBatchSize: 5000,
    maxBufferedMessages: 50_000,
  });
  const produceStarted = performance.now();
  try {
    const pending: Promise<void>[] = [];
    let batch: OutgoingMessage<SensorReading>[] = [];
    let produced = 0;
    for (const reading of backfillReadings({
      readings: s.readings,
      devices: s.devices,
      devicePrefix,
      startMs: s.startMs,
      intervalMs: 1000,
    })) {
      reference.add(reading);
      batch.push({ key: reading.deviceId, value: reading });
      if (batch.length === 10_000) {
        pending.push(producer.send(topics.telemetry, batch));
        batch = [];
        // bounded in flight: a few chunks at a time
        if (pending.length >= 4) await pending.shift();
      }
      produced++;
      if (produced % s.progressEvery === 0)
        deps.progress(`produced ${produced.toLocaleString('en')} / ${s.readings.toLocaleString('en')}`);
    }
    if (batch.length > 0) pending.push(producer.send(topics.telemetry, batch));
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  deps.progress(`produced ${s.readings.toLocaleString('en')} readings in ${produceSeconds.toFixed(1)} s`);

  let applied = 0;
  const phaseMs = { load: 0, step: 0, lake: 0, alerts: 0, commit: 0 };
  let reportedAt = 0;
  let resolveAll: () => void = () => undefined;
  const allApplied = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const processStarted = performance.now();
  const processor = createProcessor({
    kafka: deps.kafka,
    pool: deps.pool,
    topics,
    lakeDir: deps.lakeDir,
    settings: { ...s.processor, groupId: `${s.runId}-processor`, fromBeginning: true },
    logger: deps.logger,
    onBatch(summary) {
      applied += summary.records - summary.skipped;
      for (const k of Object.keys(phaseMs) as (keyof PhaseTimings)[]) phaseMs[k] += summary.phaseMs[k];
      if (applied - reportedAt >= s.progressEvery || applied >= s.readings) {
        reportedAt = applied;
        const seconds = (performance.now() - processStarted) / 1000;
        deps.progress(
          `processed ${applied.toLocaleString('en')} / ${s.readings.toLocaleString('en')} (${Math.round(applied / seconds).toLocaleString('en')} readings/s)`,
        );
      }
      if (applied >= s.readings) resolveAll();
    },
  });
  await processor.start();
  try {
    await Promise.race([
      allApplied,
      processor.done.then(() => Promise.reject(new Error('processor stopped early'))),
    ]);
  } finally {
    await processor.stop();
  }
  const processSeconds = (performance.now() - processStarted) / 1000;

  deps.progress('comparing the lake with the reference');
  const expected = reference.closedWindows();
  const lake = await readLake(deps.lakeDir, devicePrefix);
  return {
    readings: s.readings,
    produceSeconds,
    processSeconds,
    lakeRawRows: lake.rawRows,
    lateReadings: reference.late,
    windows: lake.windows.length,
    mismatches: compareWindows(lake.windows, expected),
    phaseMs,
  };
}

async function readLake(
  lakeDir: string,
  devicePrefix: string,
): Promise<{ rawRows: number; windows: ReferenceWindow[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const prefix = devicePrefix.replaceAll("'", "''");
    const read = (table: 'raw' | 'windows') =>
      `read_parquet('${tableGlob(lakeDir, table).replaceAll("'", "''")}', hive_partitioning = true, union_by_name = true)`;
    const raw = await connection.runAndReadAll(
      `SELECT count(*)::DOUBLE FROM ${read('raw')} WHERE starts_with(device_id, '${prefix}')`,
    );
    const columns = SENSOR_METRIC_NAMES.flatMap((m) => [`${m}_min`, `${m}_max`, `${m}_mean`, `${m}_p95`]);
    const result = await connection.runAndReadAll(
      `SELECT device_id, window_start_ms::DOUBLE, reading_count, ${columns.join(', ')} FROM ${read('windows')}
       WHERE starts_with(device_id, '${prefix}') ORDER BY device_id, window_start_ms`,
    );
    const windows = result.getRows().map((row): ReferenceWindow => {
      const metrics: Record<string, readonly [number, number, number, number]> = {};
      SENSOR_METRIC_NAMES.forEach((m, i) => {
        const at = 3 + i * 4;
        metrics[m] = [Number(row[at]), Number(row[at + 1]), Number(row[at + 2]), Number(row[at + 3])];
      });
      return { deviceId: String(row[0]), windowStartMs: Number(row[1]), count: Number(row[2]), metrics };
    });
    return { rawRows: Number(raw.getRows()[0]?.[0] ?? 0), windows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function compareWindows(lake: readonly ReferenceWindow[], expected: readonly ReferenceWindow[]): string[] {
  const out: string[] = [];
  if (lake.length !== expected.length)
    out.push(`lake has ${lake.length} windows, reference ${expected.length}`);
  for (let i = 0; i < Math.min(lake.length, expected.length) && out.length < 10; i++) {
    const a = lake[i] as ReferenceWindow;
    const b = expected[i] as ReferenceWindow;
    const where = `${b.deviceId}@${new Date(b.windowStartMs).toISOString()}`;
    if (a.deviceId !== b.deviceId || a.windowStartMs !== b.windowStartMs) {
      out.push(`window ${i}: lake ${a.deviceId}@${a.windowStartMs}, reference ${where}`);
      continue;
    }
    if (a.count !== b.count) out.push(`${where}: count ${a.count} ≠ ${b.count}`);
    for (const m of SENSOR_METRIC_NAMES) {
      const x = a.metrics[m] ?? [];
      const y = b.metrics[m] ?? [];
      for (let k = 0; k < 4; k++) {
        if (!Object.is(x[k], y[k]))
          out.push(`${where} ${m}[${['min', 'max', 'mean', 'p95'][k]}]: ${x[k]} ≠ ${y[k]}`);
      }
    }
  }
  return out.slice(0, 10);
}

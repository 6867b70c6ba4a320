import {
  createProducer,
  type IncomingMessage,
  type InfrastructureOutage,
  type KafkaClient,
  PoisonError,
  type RunningConsumer,
  runConsumer,
  type TypedProducer,
  withBatchSpan,
} from '@streamkit/kafka';
import { describeError, type Logger } from '@streamkit/runtime';
import { DEFAULT_MAX_FUTURE_SKEW_MS, futureEventTime, type SensorReading } from '@streamkit/schemas';
import { getTracer, type PipelineMetrics } from '@streamkit/telemetry';
import type { Pool } from 'pg';
import type { IotTopics } from '../common/topics.ts';
import { createLakeWriter, type LakeWriter } from '../lake/parquet-writer.ts';
import { type AnomalySettings, validateAnomalySettings } from './anomaly.ts';
import { createMicroBatchSink, type MicroBatchSummary } from './micro-batch.ts';
import type { ProcessorMetrics } from './processor-metrics.ts';
import { DEFAULT_DEDUP_HORIZON_MS } from './recent-readings.ts';
import { createStateStore } from './state-store.ts';
import { createMicroBatcher, type TriggerSettings } from './trigger.ts';

const tracer = getTracer('iot-processor');

export interface ProcessorSettings {
  readonly groupId: string;
  readonly trigger: TriggerSettings;
  readonly windowMs: number;
  readonly allowedLatenessMs: number;
  /** A reading dated further ahead of the clock is dead-lettered (default 5 min). */
  readonly maxFutureSkewMs?: number;
  /** How far behind a device's newest reading a second copy of a reading is still recognised (default 10 min). */
  readonly dedupHorizonMs?: number;
  readonly anomaly: AnomalySettings;
  /** Most records per consumer run (one run per partition joins each micro-batch). */
  readonly maxRunSize: number;
  /** Most bytes per partition in one fetch: under backlog, a run holds about this much (default 1 MiB). */
  readonly fetchMaxBytesPerPartition?: number;
  readonly partitionsConsumedConcurrently: number;
  readonly sessionTimeoutMs?: number;
  readonly fromBeginning?: boolean;
}

export interface ProcessorDeps {
  readonly kafka: KafkaClient;
  readonly pool: Pool;
  readonly topics: IotTopics;
  readonly lakeDir: string;
  readonly settings: ProcessorSettings;
  readonly metrics?: PipelineMetrics;
  readonly processorMetrics?: ProcessorMetrics;
  readonly logger: Logger;
  /** Called after each applied micro-batch (metrics, tests). */
  readonly onBatch?: (summary: MicroBatchSummary) => void;
}

export interface Processor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Settles when the consumer stopped; rejects if it crashed. */
  readonly done: Promise<void>;
  /** While the lake's disk, PostgreSQL or Kafka fails and readings wait: since when and why (for /health). */
  outage(): InfrastructureOutage | undefined;
}

export function createProcessor(deps: ProcessorDeps): Processor {
  const { settings, logger } = deps;
  validateAnomalySettings(settings.anomaly);
  if (!(Number.isInteger(settings.windowMs) && settings.windowMs >= 1000)) {
    throw new RangeError(`windowMs must be an integer >= 1000, got ${settings.windowMs}`);
  }
  if (!(Number.isInteger(settings.allowedLatenessMs) && settings.allowedLatenessMs >= 0)) {
    throw new RangeError(`allowedLatenessMs must be an integer >= 0, got ${settings.allowedLatenessMs}`);
  }
  const maxFutureSkewMs = settings.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  let consumer: RunningConsumer | undefined;
  let producer: TypedProducer | undefined;
  let writer: LakeWriter | undefined;
  let resolveDone: () => void = () => undefined;
  let rejectDone: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined);

  return {
    done,
    outage: () => consumer?.outage(),
    async start() {
      producer = await createProducer(deps.kafka, { lingerMs: 5, maxBatchSize: 1000, metrics: deps.metrics });
      writer = await createLakeWriter(deps.lakeDir);
      const sink = createMicroBatchSink({
        lakeDir: deps.lakeDir,
        writer,
        store: createStateStore(deps.pool),
        producer,
        topics: deps.topics,
        settings: {
          windowMs: settings.windowMs,
          allowedLatenessMs: settings.allowedLatenessMs,
          anomaly: settings.anomaly,
          dedupHorizonMs: settings.dedupHorizonMs ?? DEFAULT_DEDUP_HORIZON_MS,
        },
      });
      const pm = deps.processorMetrics;
      const topic = deps.topics.telemetry.name;
      const batcher = createMicroBatcher<IncomingMessage<SensorReading>>(
        settings.trigger,
        async (messages) => {
          const started = performance.now();
          let summary: MicroBatchSummary;
          try {
            summary = await withBatchSpan(
              tracer,
              'iot.processor.micro-batch',
              messages,
              { 'messaging.destination.name': topic },
              () => sink.apply(messages),
            );
          } catch (error) {
            pm?.batches.inc({ outcome: 'failed' });
            logger.warn('micro-batch failed; its records are retried', { error: describeError(error) });
            throw error;
          }
          const finished = performance.now();
          pm?.batches.inc({ outcome: 'applied' });
          pm?.batchSeconds.observe((finished - started) / 1000);
          pm?.batchRecords.observe(summary.records);
          pm?.lateReadings.inc(summary.lateDropped);
          pm?.replayedRecords.inc(summary.skipped);
          pm?.duplicateReadings.inc(summary.duplicates);
          pm?.closedWindows.inc(summary.closedWindows);
          pm?.alerts.inc(summary.alerts);
          pm?.lakeFiles.inc(summary.files.length);
          // event creation → durable in the lake (the reading's own timestamp is its creation time)
          const nowMs = Date.now();
          for (const m of messages) {
            deps.metrics?.endToEndSeconds.observe(
              { topic },
              Math.max(0, nowMs - Date.parse(m.value.ts)) / 1000,
            );
          }
          if (summary.duplicates > 0) {
            logger.info('skipped readings already applied (produced to Kafka twice)', {
              duplicates: summary.duplicates,
            });
          }
          logger.debug('micro-batch applied', { ...summary, files: summary.files.length });
          deps.onBatch?.(summary);
        },
      );
      consumer = await runConsumer(deps.kafka, {
        groupId: settings.groupId,
        topic: deps.topics.telemetry,
        maxBatchSize: settings.maxRunSize,
        fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
        sessionTimeoutMs: settings.sessionTimeoutMs,
        fromBeginning: settings.fromBeginning ?? true,
        metrics: deps.metrics,
        logger,
        handleBatch: async (messages, ctx) => {
          // before the micro-batch, per partition: a reading dated 2099 would pin its device's
          // watermark (every later reading late). Poison: this run is split until it alone is dead-lettered.
          const nowMs = Date.now();
          for (const { value } of messages) {
            const future = futureEventTime('ts', value.ts, nowMs, maxFutureSkewMs);
            if (future !== undefined) throw new PoisonError(`reading ${future.field} ${future.message}`);
          }
          const last = messages.at(-1);
          const behind =
            last !== undefined &&
            ctx.highWatermark !== undefined &&
            BigInt(ctx.highWatermark) > BigInt(last.offset) + 1n;
          const applied = batcher.submit(messages, last?.partition ?? 0, behind);
          // stop(): apply what is gathered now rather than waiting for the interval
          const onAbort = () => batcher.flushNow();
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          try {
            await applied;
          } finally {
            ctx.signal.removeEventListener('abort', onAbort);
          }
        },
      });
      consumer.done.then(resolveDone, rejectDone);
    },
    async stop() {
      await consumer?.stop();
      await producer?.disconnect();
      writer?.close();
      writer = undefined;
      resolveDone();
    },
  };
}

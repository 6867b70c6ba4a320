import {
  type KafkaClient,
  PoisonError,
  type RunningConsumer,
  runConsumer,
  withBatchSpan,
} from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import { type AccessLog, futureEventTime, type TopicDef } from '@streamkit/schemas';
import { getTracer, type PipelineMetrics } from '@streamkit/telemetry';
import type { LogSink, SinkWriteResult } from './log-sink.ts';

const tracer = getTracer('dashboard-sink');

export interface SinkConsumerSettings {
  readonly topic: TopicDef<AccessLog>;
  readonly groupId: string;
  readonly sink: LogSink;
  readonly metrics: PipelineMetrics;
  readonly logger: Logger;
  /** Records per COPY batch (one transaction). */
  readonly maxBatchSize?: number;
  /** The group rebalances when a replica is silent this long (default 30 s). */
  readonly sessionTimeoutMs?: number;
  readonly fromBeginning?: boolean;
  /** Told after each committed batch (tests, metrics). */
  readonly onWritten?: (result: SinkWriteResult) => void;
  /** A line dated further ahead of the clock is dead-lettered (EVENT_TIME_MAX_FUTURE_SKEW_MS). */
  readonly maxFutureSkewMs: number;
}

/**
 * logs.http → PostgreSQL views, at least once with an idempotent sink: offsets are committed only
 * after the batch's transaction, and a redelivered or re-sent line changes nothing.
 */
export function startSinkConsumer(
  kafka: KafkaClient,
  settings: SinkConsumerSettings,
): Promise<RunningConsumer> {
  const { topic, sink, metrics, onWritten } = settings;
  return runConsumer(kafka, {
    groupId: settings.groupId,
    topic,
    maxBatchSize: settings.maxBatchSize ?? 2000,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    fromBeginning: settings.fromBeginning ?? true,
    metrics,
    logger: settings.logger,
    handleBatch: async (messages) => {
      // checked here too, not only in the shipper: a line dated 2099 would move max_event_ts, after
      // which every line is late and the next prune deletes everything. Poison: the batch is split
      // until this record alone goes to the DLQ with the reason.
      const now = Date.now();
      for (const { value } of messages) {
        const future = futureEventTime('ts', value.ts, now, settings.maxFutureSkewMs);
        if (future !== undefined) throw new PoisonError(`log line ${future.field} ${future.message}`);
      }
      // one span per COPY batch, linked to the shipper's traces the lines carry
      const result = await withBatchSpan(
        tracer,
        'dashboard.sink.copy-batch',
        messages,
        { 'messaging.destination.name': topic.name },
        () => sink.write(messages),
      );
      if (result.late > 0) metrics.eventsFailed.inc({ topic: topic.name, reason: 'late' }, result.late);
      if (result.inserted > 0) {
        const now = Date.now();
        for (const { value } of messages)
          metrics.endToEndSeconds.observe({ topic: topic.name }, (now - Date.parse(value.ts)) / 1000);
      }
      onWritten?.(result);
    },
  });
}

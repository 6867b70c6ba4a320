import { type KafkaClient, type RunningConsumer, runConsumer } from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import type { FraudAlert, TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { AlertSink } from './alert-sink.ts';
import { withAlertSpans } from './alert-spans.ts';

export interface AlertConsumerSettings {
  readonly topic: TopicDef<FraudAlert>;
  readonly groupId: string;
  readonly sink: AlertSink;
  readonly metrics: PipelineMetrics;
  readonly logger: Logger;
  /** Records per sink transaction (one multi-row insert). */
  readonly maxBatchSize?: number;
  /** Called with the ids of newly stored alerts (wakes the webhook worker). */
  readonly onStored?: (alertIds: readonly string[]) => void;
  readonly fromBeginning?: boolean;
}

/**
 * fraud.alerts → Postgres, at least once with an idempotent sink: a batch is committed to Kafka
 * only after its transaction committed, and a redelivered alert changes nothing.
 */
export function startAlertConsumer(
  kafka: KafkaClient,
  settings: AlertConsumerSettings,
): Promise<RunningConsumer> {
  const { topic, sink, metrics, onStored } = settings;
  return runConsumer(kafka, {
    groupId: settings.groupId,
    topic,
    // the detector writes alerts in Kafka transactions: never show an aborted one
    isolation: 'read_committed',
    maxBatchSize: settings.maxBatchSize ?? 200,
    // the sink is idempotent: a restart replaying up to a second of alerts stores nothing twice,
    // and the broker is spared an OffsetCommit per fetch
    commitIntervalMs: 1000,
    // a fetch gathers up to 32 KiB (~60 alerts) or half a second: each batch costs one statement,
    // one NOTIFY and one feed read in Postgres, so at 1,000 payments/s this took 50 batches a
    // second of ~7 alerts; nobody waits on an alert within the half second
    fetchMinBytes: 32 * 1024,
    fetchMaxWaitMs: 500,
    fromBeginning: settings.fromBeginning ?? true,
    metrics,
    logger: settings.logger,
    handleBatch: async (messages) => {
      const stored = await withAlertSpans(messages, () => sink.write(messages.map((m) => m.value)));
      if (stored.length === 0) return;
      const now = Date.now();
      const isNew = new Set(stored);
      for (const { value } of messages) {
        if (isNew.has(value.alertId)) {
          metrics.endToEndSeconds.observe({ topic: topic.name }, (now - Date.parse(value.paymentTs)) / 1000);
        }
      }
      onStored?.(stored);
    },
  });
}

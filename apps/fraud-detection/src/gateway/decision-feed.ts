import { type KafkaClient, type RunningConsumer, runConsumer } from '@streamkit/kafka';
import type { PaymentDecision, TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { DecisionWaiters } from './decision-waiters.ts';

export interface DecisionFeedSettings {
  readonly topic: TopicDef<PaymentDecision>;
  /** Unique per gateway process: every instance must see every decision to wake its own waiters. */
  readonly groupId: string;
  readonly waiters: DecisionWaiters;
  readonly metrics?: PipelineMetrics;
}

/**
 * Follows the decisions topic from its end (only decisions made from now on matter: older ones are
 * read from Redis) and wakes the long-polling requests waiting for them. read_committed, so a
 * decision of an aborted detector transaction never reaches a client.
 */
export function startDecisionFeed(
  kafka: KafkaClient,
  settings: DecisionFeedSettings,
): Promise<RunningConsumer> {
  const { topic, waiters, metrics } = settings;
  return runConsumer(kafka, {
    groupId: settings.groupId,
    topic,
    fromBeginning: false,
    isolation: 'read_committed',
    // the group is this process's own and starts from the end: a commit per fetch would buy nothing
    commitOffsets: false,
    maxBatchSize: 1000,
    fetchMaxWaitMs: 100,
    metrics,
    handleBatch: async (messages) => {
      const now = Date.now();
      for (const { value } of messages) {
        waiters.deliver(value);
        // payment creation → decision visible at the gateway
        const paymentMs = Date.parse(value.paymentTs);
        if (Number.isFinite(paymentMs) && now >= paymentMs) {
          metrics?.endToEndSeconds.observe({ topic: topic.name }, (now - paymentMs) / 1000);
        }
      }
    },
  });
}

import { ensureTopics, type KafkaClient } from '@streamkit/kafka';
import type { FraudTopics } from '../common/topics.ts';

// the same retention as the detector's topic specs: two services ensuring one topic agree
const WEEK_MS = 7 * 86_400_000;

/**
 * Creates the topics the gateway writes and reads, if missing (safe to repeat; an existing topic is
 * grown, never shrunk). The payments' partition count is the detector's parallelism; decisions are
 * keyed by cardId too, so they get the same count.
 */
export function ensureGatewayTopics(
  kafka: KafkaClient,
  topics: FraudTopics,
  partitions: number,
): Promise<void> {
  return ensureTopics(kafka, [
    { topic: topics.payments.name, partitions, retentionMs: WEEK_MS, withDlq: true },
    { topic: topics.decisions.name, partitions, retentionMs: WEEK_MS, withDlq: true },
  ]);
}

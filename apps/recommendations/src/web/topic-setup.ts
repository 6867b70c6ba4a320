import { ensureTopics, type KafkaClient } from '@streamkit/kafka';
import type { RecsTopics } from '../common/topics.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * Creates the events topic (and its DLQ) if missing; safe to repeat, an existing topic is grown,
 * never shrunk. Its partition count is the features worker's parallelism.
 */
export function ensureWebTopics(kafka: KafkaClient, topics: RecsTopics, partitions: number): Promise<void> {
  return ensureTopics(kafka, [
    { topic: topics.events.name, partitions, retentionMs: WEEK_MS, withDlq: true },
  ]);
}

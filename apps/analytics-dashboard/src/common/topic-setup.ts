import { ensureTopics, type KafkaClient } from '@streamkit/kafka';
import type { DashboardTopics } from './topics.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * Creates the logs topic and its DLQ if missing (safe to repeat, from any service; an existing
 * topic is grown, never shrunk). The partition count is the sink's parallelism.
 */
export function ensureDashboardTopics(
  kafka: KafkaClient,
  topics: DashboardTopics,
  partitions: number,
): Promise<void> {
  return ensureTopics(kafka, [{ topic: topics.logs.name, partitions, retentionMs: WEEK_MS, withDlq: true }]);
}

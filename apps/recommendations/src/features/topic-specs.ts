import type { TopicSpec } from '@streamkit/kafka';
import type { RecsTopics } from '../common/topics.ts';

/** The events topic (with its DLQ), partitioned by userId: the features worker's parallelism. */
export function eventsTopicSpecs(topics: RecsTopics, partitions: number): TopicSpec[] {
  return [{ topic: topics.events.name, partitions, retentionMs: 7 * 86_400_000, withDlq: true }];
}

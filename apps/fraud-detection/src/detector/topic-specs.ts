import type { TopicSpec } from '@streamkit/kafka';
import type { FraudTopics } from '../common/topics.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * The topics the detector reads and writes. `payments` sets the pipeline's parallelism (one
 * detector replica per partition at most); outputs are keyed by card too, so they get the same.
 */
export function detectorTopicSpecs(topics: FraudTopics, paymentsPartitions: number): TopicSpec[] {
  return [topics.payments, topics.decisions, topics.alerts].map((t) => ({
    topic: t.name,
    partitions: paymentsPartitions,
    retentionMs: WEEK_MS,
    withDlq: true,
  }));
}

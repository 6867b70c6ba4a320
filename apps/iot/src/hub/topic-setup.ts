import { ensureTopics, type KafkaClient } from '@streamkit/kafka';
import type { IotTopics } from '../common/topics.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * Creates the telemetry topic (with its DLQ) and the alerts topic if missing; safe to repeat.
 * The telemetry partition count is the processor's parallelism.
 */
export function ensureIotTopics(kafka: KafkaClient, topics: IotTopics, partitions: number): Promise<void> {
  return ensureTopics(kafka, [
    { topic: topics.telemetry.name, partitions, retentionMs: WEEK_MS, withDlq: true },
    { topic: topics.alerts.name, partitions, retentionMs: WEEK_MS, withDlq: true },
  ]);
}

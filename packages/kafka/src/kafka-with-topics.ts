import { ensureTopics, type TopicSpec } from './admin.ts';
import { createKafka, type KafkaClient, type KafkaClientSettings } from './client.ts';
import { createProducer, type ProducerSettings } from './producer.ts';
import type { TypedProducer } from './types.ts';

export interface KafkaWithTopics {
  readonly kafka: KafkaClient;
  /** Writes to the topics; disconnect it when done (its buffer is flushed first). */
  readonly producer: TypedProducer;
}

export interface KafkaWithTopicsSettings extends KafkaClientSettings {
  /** Ensured before the producer connects: created with these partitions and settings if missing. */
  readonly topics: readonly TopicSpec[];
  readonly producer?: ProducerSettings;
}

/**
 * A client, the topics ensured and a producer on them: what a test harness (or a tool) that feeds a
 * pipeline's topics opens before anything else. A service acquires these one by one instead
 * (`acquireAdmin`, `acquireProducer`), so that each is released at its own time.
 */
export async function openKafkaWithTopics(settings: KafkaWithTopicsSettings): Promise<KafkaWithTopics> {
  const { topics, producer: producerSettings, ...client } = settings;
  const kafka = createKafka(client);
  await ensureTopics(kafka, topics);
  const producer = await createProducer(kafka, producerSettings);
  return { kafka, producer };
}

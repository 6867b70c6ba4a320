import type { Kafka } from 'kafkajs';
import type { ProducerTransport } from '../driver.ts';
import { kafkajsProducer } from './client.ts';

/** An idempotent kafkajs producer; one request in flight (kafkajs does not re-sequence concurrent ones). */
export async function connectKafkajsProducer(kafka: Kafka): Promise<ProducerTransport> {
  const producer = kafkajsProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    async sendBatch(records) {
      await producer.sendBatch({ acks: -1, topicMessages: [...records] });
    },
    disconnect: () => producer.disconnect(),
  };
}

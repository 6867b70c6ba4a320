import type { Message } from 'kafkajs';
import { type KafkaClient, kafkajsProducer } from './client.ts';
import { fromClientError } from './errors.ts';

/** Records for one topic, in send order (kafkajs's record shape is our neutral one). */
export interface TopicMessages {
  readonly topic: string;
  readonly messages: Message[];
}

/** An idempotent producer connection as producer.ts and the DLQ writer need it: one call = one acks=all request. */
export interface ProducerTransport {
  sendBatch(topicMessages: readonly TopicMessages[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Connects the client library `kafka` was created for; `what` names the producer in errors. */
export async function connectProducerTransport(kafka: KafkaClient, what: string): Promise<ProducerTransport> {
  if (kafka.implementation === 'platformatic') {
    const { connectPlatformaticTransport } = await import('./platformatic/producer-transport.ts');
    return connectPlatformaticTransport(kafka, what);
  }
  const producer = kafkajsProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
  try {
    await producer.connect();
  } catch (error) {
    throw fromClientError(`${what} could not connect to ${kafka.brokers.join(',')}`, error);
  }
  return {
    async sendBatch(topicMessages) {
      await producer.sendBatch({ acks: -1, topicMessages: [...topicMessages] });
    },
    disconnect: () => producer.disconnect(),
  };
}

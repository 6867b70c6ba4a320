import { ProduceAcks, Producer } from '@platformatic/kafka';
import type { KafkaClient } from '../client.ts';
import { fromClientError } from '../errors.ts';
import type { ProducerTransport } from '../producer-transport.ts';
import { baseOptions, javaCompatiblePartitioner, toPlatformatic } from './options.ts';

/**
 * An idempotent @platformatic/kafka producer (acks=all; the library forces one request in flight
 * per connection for idempotence). Connects eagerly (InitProducerId) so a broker that cannot be
 * reached fails here, as kafkajs's connect() does.
 */
export async function connectPlatformaticTransport(
  kafka: KafkaClient,
  what: string,
): Promise<ProducerTransport> {
  const producer = new Producer({
    ...baseOptions(kafka, 'producer'),
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: javaCompatiblePartitioner,
    // bounded like kafkajs's (idempotence keeps order across retries; the library's default is unbounded)
    retries: 10,
    retryDelay: 250,
  });
  try {
    await producer.initIdempotentProducer({ idempotent: true, acks: ProduceAcks.ALL });
  } catch (error) {
    await producer.close(true).catch(() => undefined);
    throw fromClientError(`${what} could not connect to ${kafka.brokers.join(',')}`, error);
  }
  return {
    async sendBatch(topicMessages) {
      await producer.send({
        messages: topicMessages.flatMap(({ topic, messages }) =>
          messages.map((m) => toPlatformatic(topic, m)),
        ),
      });
    },
    disconnect: () => producer.close(),
  };
}

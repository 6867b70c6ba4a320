import { ProduceAcks, Producer } from '@platformatic/kafka';
import type { DriverConfig, ProducerTransport } from '../driver.ts';
import {
  baseOptions,
  closedOnFailure,
  javaCompatiblePartitioner,
  toPlatformaticMessages,
} from './options.ts';

/**
 * An idempotent @platformatic/kafka producer (acks=all; the library forces one request in flight
 * per connection for idempotence). Connects eagerly (InitProducerId) so a broker that cannot be
 * reached fails here, as kafkajs's connect() does.
 */
export async function connectPlatformaticProducer(config: DriverConfig): Promise<ProducerTransport> {
  const producer = new Producer({
    ...baseOptions(config, 'producer'),
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: javaCompatiblePartitioner,
    // bounded like kafkajs's (idempotence keeps order across retries; the library's default is unbounded)
    retries: 10,
    retryDelay: 250,
  });
  await closedOnFailure(
    () => producer.close(true),
    producer.initIdempotentProducer({ idempotent: true, acks: ProduceAcks.ALL }),
  );
  return {
    async sendBatch(records) {
      await producer.send({ messages: toPlatformaticMessages(records) });
    },
    disconnect: () => producer.close(),
  };
}

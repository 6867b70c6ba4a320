import type { DriverConfig, KafkaDriver } from '../driver.ts';
import { connectPlatformaticAdmin } from './admin.ts';
import { createPlatformaticConsumer } from './consumer.ts';
import { connectPlatformaticProducer } from './producer.ts';
import { readPlatformaticTopic } from './reader.ts';
import { connectPlatformaticTransactional } from './transactional-producer.ts';

/** The KafkaDriver on @platformatic/kafka 2.12.1: each producer, consumer and admin is its own library client. */
export function createDriver(config: DriverConfig): KafkaDriver {
  return {
    kind: 'platformatic',
    connectProducer: () => connectPlatformaticProducer(config),
    connectTransactionalProducer: (settings) => connectPlatformaticTransactional(config, settings),
    createConsumer: (settings) => createPlatformaticConsumer(config, settings),
    connectAdmin: () => connectPlatformaticAdmin(config),
    readTopic: (topic, timeoutMs) => readPlatformaticTopic(config, topic, timeoutMs),
  };
}

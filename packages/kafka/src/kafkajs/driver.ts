import type { DriverConfig, KafkaDriver } from '../driver.ts';
import { connectKafkajsAdmin } from './admin.ts';
import { createKafkajs } from './client.ts';
import { createKafkajsConsumer } from './consumer.ts';
import { connectKafkajsProducer } from './producer.ts';
import { readKafkajsTopic } from './reader.ts';
import { connectKafkajsTransactional } from './transactional-producer.ts';

/** The KafkaDriver on kafkajs 2.2.4 (patched, see README): one kafkajs handle per client. */
export function createDriver(config: DriverConfig): KafkaDriver {
  const kafka = createKafkajs(config);
  return {
    kind: 'kafkajs',
    connectProducer: () => connectKafkajsProducer(kafka),
    connectTransactionalProducer: (settings) => connectKafkajsTransactional(kafka, settings),
    createConsumer: (settings) => createKafkajsConsumer(kafka, settings),
    connectAdmin: () => connectKafkajsAdmin(kafka),
    readTopic: (topic, timeoutMs) => readKafkajsTopic(kafka, topic, timeoutMs),
  };
}

import type { Config, kafkaEnv } from '@streamkit/config';
import { createKafka, type KafkaClient } from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';

/** The Kafka client of one fraud service: KAFKA_BROKERS, KAFKA_CLIENT, KAFKA_CLIENT_ID + `clientIdSuffix`. */
export function createFraudKafka(
  config: Config<typeof kafkaEnv>,
  logger: Logger,
  clientIdSuffix = '',
): KafkaClient {
  return createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: `${config.kafkaClientId}${clientIdSuffix}`,
    logger,
  });
}

import { acquireAdmin, createKafka, type KafkaAdmin, type KafkaClient } from '@streamkit/kafka';
import { acquirePool } from '@streamkit/postgres';
import type { ServiceContext } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';
import { type IotTopics, iotTopicSpecs, iotTopics } from './topics.ts';

/** The part of an IoT service's configuration its Kafka and Postgres resources need. */
export interface IotResourceConfig {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClient: 'kafkajs' | 'platformatic';
  readonly kafkaClientId: string;
  readonly databaseUrl: string;
  readonly topicPrefix: string;
  readonly telemetryPartitions: number;
}

/** The service's Postgres pool, closed at stop, with the pipeline's migrations applied. */
export async function acquireDatabase(
  { acquire, config, logger }: ServiceContext<IotResourceConfig>,
  maxConnections: number,
): Promise<Pool> {
  return acquirePool({ acquire, logger }, config.databaseUrl, { max: maxConnections, migrate });
}

export interface IotKafka {
  readonly kafka: KafkaClient;
  /** Kept open for the /health check. */
  readonly admin: KafkaAdmin;
  readonly topics: IotTopics;
}

/** The Kafka client and admin of a service, and the topics it uses ensured from the pipeline's spec. */
export async function acquireKafka(
  { acquire, config, logger }: ServiceContext<IotResourceConfig>,
  clientId: string,
  used: readonly (keyof IotTopics)[],
): Promise<IotKafka> {
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId,
    logger,
  });
  const admin = await acquireAdmin({ acquire }, kafka);
  const topics = iotTopics(config.topicPrefix);
  await acquire('kafka topics', () =>
    admin.ensureTopics(iotTopicSpecs(topics, config.telemetryPartitions, used)),
  );
  return { kafka, admin, topics };
}

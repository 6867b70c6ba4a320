import {
  acquireAdmin,
  createKafka,
  type KafkaAdmin,
  type KafkaClient,
  type TopicSpec,
} from '@streamkit/kafka';
import { acquirePool } from '@streamkit/postgres';
import { describeError, type Logger, type ServiceContext } from '@streamkit/runtime';
import { Redis, type RedisOptions } from 'ioredis';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';

/** What the helpers below need of a service's start context. */
export type Acquirer = Pick<ServiceContext<unknown>, 'acquire' | 'logger'>;

/** The Kafka settings every recommendations service shares (recsCommonEnv). */
export interface RecsKafkaConfig {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClient: Parameters<typeof createKafka>[0]['client'];
  readonly kafkaClientId: string;
}

/** The pipeline's Kafka client; `clientId` tells a service's connections apart on the broker. */
export function recsKafka(
  config: RecsKafkaConfig,
  logger: Logger,
  clientId = config.kafkaClientId,
): KafkaClient {
  return createKafka({ brokers: config.kafkaBrokers, client: config.kafkaClient, clientId, logger });
}

/** A Kafka admin (kept for /health) once the topics the service uses exist. */
export async function acquireTopics(
  { acquire }: Acquirer,
  kafka: KafkaClient,
  specs: readonly TopicSpec[],
): Promise<KafkaAdmin> {
  const admin = await acquireAdmin({ acquire }, kafka, specs);
  return admin;
}

/** A long-running part of a service (a consumer): started now, stopped first, its crash stops the service. */
export async function startPart<
  T extends { start(): Promise<void>; stop(): Promise<void>; done: Promise<void> },
>(
  { acquire, watch }: Acquirer & Pick<ServiceContext<unknown>, 'watch'>,
  name: string,
  create: () => T,
): Promise<T> {
  const part = await acquire(
    name,
    async () => {
      const created = create();
      await created.start();
      return created;
    },
    (p) => p.stop(),
  );
  watch(name, part.done);
  return part;
}

/** The pipeline's PostgreSQL pool with its migrations applied; ended when the service stops. */
export async function acquirePostgres(
  { acquire, logger }: Acquirer,
  url: string,
  max: number,
): Promise<Pool> {
  return acquirePool({ acquire, logger }, url, { max, migrate });
}

/** A connected Redis client (`name` tells several apart in the log); quit when the service stops. */
export function acquireRedis(
  { acquire, logger }: Acquirer,
  url: string,
  name = 'redis',
  options: RedisOptions = {},
): Promise<Redis> {
  return acquire(
    name,
    async () => {
      const redis = new Redis(url, { maxRetriesPerRequest: 3, ...options, lazyConnect: true });
      const warn = warnOf(logger, `${name} connection error`);
      let lastError: unknown;
      redis.on('error', (error) => {
        lastError = error;
        warn(error);
      });
      try {
        await redis.connect();
      } catch (error) {
        redis.disconnect(); // no reconnecting behind a failed start
        // ioredis rejects with "Connection is closed."; the socket's error says why
        throw lastError ?? error;
      }
      return redis;
    },
    (redis) => redis.quit().catch(() => redis.disconnect()),
  );
}

function warnOf(logger: Logger, message: string): (error: unknown) => void {
  return (error) => logger.warn(message, { error: describeError(error) });
}

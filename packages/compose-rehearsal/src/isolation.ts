import { randomBytes } from 'node:crypto';
import { deleteKeysWithPrefix } from '@streamkit/testkit';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import type { MachineInfrastructure } from './stand-ins/stand-ins.ts';

/**
 * What keeps one rehearsal's data apart from everything else on the shared Kafka, PostgreSQL, Redis
 * and Mosquitto: the compose files read these variables (`${KAFKA_TOPIC_PREFIX:-}` …), so setting
 * them in the interpolation environment gives the stack fresh topics, consumer groups, database,
 * keys and MQTT topics — as a first `docker compose up` gets from fresh volumes.
 */
export interface Isolation {
  readonly id: string;
  readonly variables: Readonly<
    Record<'KAFKA_TOPIC_PREFIX' | 'REDIS_KEY_PREFIX' | 'MQTT_TOPIC_PREFIX' | 'POSTGRES_DB', string>
  >;
}

export function newIsolation(id = randomBytes(4).toString('hex')): Isolation {
  return {
    id,
    variables: {
      KAFKA_TOPIC_PREFIX: `rh-${id}.`,
      REDIS_KEY_PREFIX: `rh-${id}:`,
      MQTT_TOPIC_PREFIX: `rh-${id}/`,
      POSTGRES_DB: `rehearsal_${id}`,
    },
  };
}

/** What the postgres image does at its first start: create POSTGRES_DB. */
export async function createDatabase(isolation: Isolation, infra: MachineInfrastructure): Promise<void> {
  await withPg(infra.databaseUrl, (c) => c.query(`create database ${isolation.variables.POSTGRES_DB}`));
}

/**
 * `docker compose down -v`: the database dropped, the prefixed topics, consumer groups and Redis keys
 * deleted. Returns what could not be removed (reported, never thrown: the rehearsal's verdict stands).
 */
export async function removeIsolatedData(
  isolation: Isolation,
  infra: MachineInfrastructure,
): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const {
    KAFKA_TOPIC_PREFIX: topicPrefix,
    REDIS_KEY_PREFIX: keyPrefix,
    POSTGRES_DB: database,
  } = isolation.variables;
  await attempt('kafka', async () => {
    const admin = new Kafka({ brokers: [...infra.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(topicPrefix));
      if (groups.length > 0) await admin.deleteGroups(groups);
    } finally {
      await admin.disconnect();
    }
  });
  await attempt('redis', async () => {
    const redis = new Redis(infra.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      await deleteKeysWithPrefix(redis, keyPrefix);
    } finally {
      redis.disconnect();
    }
  });
  await attempt('postgres', () =>
    withPg(infra.databaseUrl, (c) => c.query(`drop database if exists ${database} with (force)`)),
  );
  return problems;
}

async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

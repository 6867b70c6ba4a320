import type { Infrastructure } from '@streamkit/testkit';

/** Where a test's services run: its own topics (`topicPrefix`), Redis keys and database. */
export interface TestIsolation {
  readonly infra: Infrastructure;
  readonly topicPrefix: string;
  readonly keyPrefix: string;
  /** Default: the infrastructure's database. */
  readonly databaseUrl?: string;
}

/**
 * The environment a test starts a fraud service with (startService(definition, { env })): the real
 * infrastructure, the test's own prefixes, ephemeral ports on loopback, warnings and errors only.
 */
export function serviceEnv(
  where: TestIsolation,
  settings: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: where.infra.kafkaBrokers.join(','),
    REDIS_URL: where.infra.redisUrl,
    DATABASE_URL: where.databaseUrl ?? where.infra.databaseUrl,
    KAFKA_TOPIC_PREFIX: where.topicPrefix,
    REDIS_KEY_PREFIX: where.keyPrefix,
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...settings,
  };
}

// The detector process: node --import @streamkit/telemetry/register src/detector/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
  redisCheck,
  startObservabilityServer,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { Redis } from 'ioredis';
import { fraudRedisKeys } from '../common/redis-keys.ts';
import { fraudTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { detectorEnv } from './config.ts';
import { createDetectorMetrics } from './detector-metrics.ts';
import { createDetector } from './processor.ts';
import { detectorTopicSpecs } from './topic-specs.ts';

const config = loadConfig(detectorEnv);
const logger = createConsoleLogger(config.logLevel);
logger.info('detector starting', describeConfig(detectorEnv, config));

// after a crash the shutdown still runs its steps, but the exit code must say it failed
let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const registry = createServiceRegistry('fraud-detector');
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: config.kafkaClientId,
    logger,
  });
  const topics = fraudTopics(config.topicPrefix);

  // one for queries, one held by each LISTEN (rules, models), one spare for the health check
  const pool = createPool(config.databaseUrl, {
    max: 4,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());
  await migrate(pool);

  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (error) => logger.warn('redis connection error', { error: error.message }));
  await redis.connect();
  shutdown.add('redis', async () => {
    await redis.quit();
  });

  const admin = await createAdmin(kafka);
  shutdown.add('kafka admin', () => admin.disconnect());
  await admin.ensureTopics(detectorTopicSpecs(topics, config.paymentsPartitions));

  const detector = createDetector({
    kafka,
    redis,
    pool,
    topics,
    keys: fraudRedisKeys(config.redisKeyPrefix),
    settings: {
      groupId: config.groupId,
      transactionalId: `${config.transactionalIdPrefix}-${config.instanceId}`,
      maxBatchSize: config.maxBatchSize,
      sessionTimeoutMs: config.sessionTimeoutMs,
      thresholds: { review: config.reviewThreshold, decline: config.declineThreshold },
      allowedLatenessMs: config.allowedLatenessMs,
      cardStateTtlSeconds: config.cardStateTtlSeconds,
      decisionTtlSeconds: config.decisionTtlSeconds,
      rulesReloadIntervalMs: config.rulesReloadIntervalMs,
      modelPollIntervalMs: config.modelPollIntervalMs,
    },
    metrics: createPipelineMetrics(registry),
    detectorMetrics: createDetectorMetrics(registry),
    logger,
  });

  const observability = await startObservabilityServer({
    port: config.metricsPort,
    registry,
    checks: {
      kafka: check(() => admin.listTopics()),
      redis: redisCheck(redis),
      postgres: postgresCheck(pool),
    },
  });
  shutdown.add('observability server', () => observability.close());

  // registered last so it stops first: the batch in flight finishes and commits
  shutdown.add('detector', () => detector.stop());
  await detector.start();
  logger.info('detector running', { metrics: observability.address, topic: topics.payments.name });

  // a consumer that crashed for good must not leave a healthy-looking process behind
  detector.done.catch((error: unknown) => {
    logger.error('detector crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('detector failed to start', {
    error: (error as Error).message,
    cause: String((error as Error).cause ?? ''),
  });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

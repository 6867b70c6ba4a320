// The features worker process: node --import @streamkit/telemetry/register src/features/main.ts
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
import { loadCatalogIndex } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { recsTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { featuresEnv } from './config.ts';
import { createFeaturesMetrics } from './features-metrics.ts';
import { validateFeaturesSettings } from './settings.ts';
import { eventsTopicSpecs } from './topic-specs.ts';
import { createFeaturesWorker } from './worker.ts';

const config = loadConfig(featuresEnv);
const logger = createConsoleLogger(config.logLevel);
logger.info('features worker starting', describeConfig(featuresEnv, config));

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const settings = validateFeaturesSettings({
    groupId: config.groupId ?? `${config.topicPrefix}recs-features`,
    maxBatchSize: config.maxBatchSize,
    sessionTimeoutMs: config.sessionTimeoutMs,
    fetchMaxWaitMs: config.fetchMaxWaitMs,
    partitionsConsumedConcurrently: config.eventsPartitions,
    allowedLatenessMs: config.allowedLatenessMs,
    popularityRefreshMs: config.popularityRefreshMs,
    snapshotIntervalMs: config.snapshotIntervalMs,
    sessionTtlSeconds: 86_400,
    bucketTtlSeconds: 3 * 86_400,
    userTtlSeconds: 30 * 86_400,
  });
  const registry = createServiceRegistry('recs-features');
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: config.kafkaClientId,
    logger,
  });
  const topics = recsTopics(config.topicPrefix);
  const pool = createPool(config.databaseUrl, {
    max: 4,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());
  await migrate(pool);
  const catalog = await loadCatalogIndex(pool);

  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (error) => logger.warn('redis connection error', { error: error.message }));
  await redis.connect();
  shutdown.add('redis', async () => {
    await redis.quit();
  });

  const admin = await createAdmin(kafka);
  shutdown.add('kafka admin', () => admin.disconnect());
  await admin.ensureTopics(eventsTopicSpecs(topics, config.eventsPartitions));

  const worker = createFeaturesWorker({
    kafka,
    redis,
    pool,
    topics,
    keys: recsRedisKeys(config.redisKeyPrefix),
    categoryOf: (p) => catalog.categoryOf(p),
    settings,
    metrics: createPipelineMetrics(registry),
    featuresMetrics: createFeaturesMetrics(registry),
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
  shutdown.add('features worker', () => worker.stop());
  await worker.start();
  logger.info('features worker running', {
    metrics: observability.address,
    topic: topics.events.name,
    products: catalog.size,
  });
  worker.done.catch((error: unknown) => {
    logger.error('features worker crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('features worker failed to start', {
    error: (error as Error).message,
    cause: String((error as Error).cause ?? ''),
  });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

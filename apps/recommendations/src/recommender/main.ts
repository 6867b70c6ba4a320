// The recommender process: node --import @streamkit/telemetry/register src/recommender/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import {
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
  redisCheck,
  startObservabilityServer,
} from '@streamkit/runtime';
import { Redis } from 'ioredis';
import { loadCatalogIndex } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { migrate } from '../db/migrate.ts';
import { recommenderEnv } from './config.ts';
import { createRecommender } from './recommender.ts';
import { createRecommenderMetrics } from './recommender-metrics.ts';
import { validateRecommenderSettings } from './settings.ts';

const config = loadConfig(recommenderEnv);
const logger = createConsoleLogger(config.logLevel);
logger.info('recommender starting', describeConfig(recommenderEnv, config));

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const settings = validateRecommenderSettings({
    batchSize: config.batchSize,
    topN: config.topN,
    recsTtlSeconds: config.recsTtlSeconds,
    signalsRefreshMs: config.signalsRefreshMs,
    modelPollIntervalMs: config.modelPollIntervalMs,
    idlePollMs: config.idlePollMs,
  });
  const registry = createServiceRegistry('recs-recommender');
  const pool = createPool(config.databaseUrl, {
    max: 2,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());
  await migrate(pool);
  const catalog = await loadCatalogIndex(pool);
  const connect = async (name: string) => {
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    redis.on('error', (error) => logger.warn(`redis (${name}) connection error`, { error: error.message }));
    await redis.connect();
    shutdown.add(`redis ${name}`, async () => {
      await redis.quit();
    });
    return redis;
  };
  const redis = await connect('commands');
  const subscriber = await connect('subscriber');
  const recommender = createRecommender({
    redis,
    subscriber,
    pool,
    keys: recsRedisKeys(config.redisKeyPrefix),
    catalog,
    settings,
    metrics: createRecommenderMetrics(registry),
    logger,
  });
  const observability = await startObservabilityServer({
    port: config.metricsPort,
    registry,
    checks: { redis: redisCheck(redis), postgres: postgresCheck(pool) },
  });
  shutdown.add('observability server', () => observability.close());
  shutdown.add('recommender', () => recommender.stop());
  await recommender.start();
  logger.info('recommender running', { metrics: observability.address, model: recommender.modelVersion() });
  recommender.done.catch((error: unknown) => {
    logger.error('recommender crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('recommender failed to start', {
    error: (error as Error).message,
    cause: String((error as Error).cause ?? ''),
  });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

// Process entry of the storefront web service: node --import @streamkit/telemetry/register src/web/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, createProducer } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
  redisCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { Redis } from 'ioredis';
import { seedCatalog } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { recsTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { buildApp } from './app.ts';
import { webEnv } from './config.ts';
import { ensureWebTopics } from './topic-setup.ts';

const config = loadConfig(webEnv);
const logger = createConsoleLogger('info');
logger.info('web starting', describeConfig(webEnv, config));

const topics = recsTopics(config.topicPrefix);
const keys = recsRedisKeys(config.redisKeyPrefix);
const registry = createServiceRegistry('recs-web');
const metrics = createPipelineMetrics(registry);
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-web`,
  logger,
});

await ensureWebTopics(kafka, topics, config.eventsPartitions);
// Auto-pipelining: the commands of all requests in flight go out in one write per tick, not one each.
const redis = new Redis(config.redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 2,
  enableAutoPipelining: true,
});
await redis.connect();
const pool = createPool(config.databaseUrl, { max: config.dbPoolSize });
await migrate(pool);
if (config.catalogSeedProducts > 0) {
  const seeded = await seedCatalog(pool, { seed: config.catalogSeed, products: config.catalogSeedProducts });
  logger.info('catalog seeded', { ...seeded });
}
const admin = await createAdmin(kafka);
const producer = await createProducer(kafka, {
  lingerMs: config.producerLingerMs,
  maxBufferedMessages: config.producerMaxBuffered,
  metrics,
});

const app = await buildApp(
  {
    redis,
    pool,
    producer,
    topics,
    keys,
    registry,
    metrics,
    checks: {
      redis: redisCheck(redis),
      postgres: postgresCheck(pool),
      kafka: check(() => admin.listTopics()),
    },
    logger: { level: 'warn' },
  },
  {
    sessionSecret: config.sessionSecret,
    eventsApiKey: config.eventsApiKey,
    bodyLimitBytes: config.bodyLimitBytes,
    maxBatchSize: config.maxBatchSize,
    maxInFlight: config.maxInFlight,
    sessionEventsPerMinute: config.sessionEventsPerMinute,
    produceTimeoutMs: config.produceTimeoutMs,
  },
);

const shutdown = createGracefulShutdown({ logger });
shutdown.add('admin', () => admin.disconnect());
// app.close(): stop accepting, finish open requests, flush the producer, close Postgres and Redis
shutdown.add('http', () => app.close());

const address = await app.listen({ port: config.port, host: config.host });
logger.info('web listening', { address, storefront: `${address}/` });

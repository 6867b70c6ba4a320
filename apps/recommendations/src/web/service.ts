import { acquireProducer, kafkaAdminCheck } from '@streamkit/kafka';
import { defineService, postgresCheck, redisCheck } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { seedCatalog } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { acquirePostgres, acquireRedis, acquireTopics, recsKafka } from '../common/resources.ts';
import { recsTopicSpecs, recsTopics } from '../common/topics.ts';
import { buildApp } from './app.ts';
import { webEnv } from './config.ts';

/**
 * The storefront web service on PORT (8070): the page, POST /sessions and /events (→ Kafka),
 * recommendations from the Redis cache, the catalog from Postgres, `/metrics` and `/health`.
 */
export const webService = defineService({
  name: 'recs-web',
  config: webEnv,
  async start(ctx) {
    const { config, logger, registry, acquire } = ctx;
    const topics = recsTopics(config.topicPrefix);
    const metrics = createPipelineMetrics(registry);
    const kafka = recsKafka(config, logger, `${config.kafkaClientId}-web`);
    const admin = await acquireTopics(ctx, kafka, [recsTopicSpecs(topics, config.eventsPartitions).events]);
    // auto-pipelining: the commands of all requests in flight go out in one write per tick, not one each
    const redis = await acquireRedis(ctx, config.redisUrl, 'redis', {
      maxRetriesPerRequest: 2,
      enableAutoPipelining: true,
    });
    const pool = await acquirePostgres(ctx, config.databaseUrl, config.dbPoolSize);
    if (config.catalogSeedProducts > 0) {
      const seeded = await acquire('catalog seed', () =>
        seedCatalog(pool, { seed: config.catalogSeed, products: config.catalogSeedProducts }),
      );
      logger.info('catalog seeded', { ...seeded });
    }
    const producer = await acquireProducer(ctx, kafka, {
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
        keys: recsRedisKeys(config.redisKeyPrefix),
        registry,
        metrics,
        checks: {
          redis: redisCheck(redis),
          postgres: postgresCheck(pool),
          kafka: kafkaAdminCheck(admin),
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
        sessionsPerAddressPerMinute: config.sessionsPerAddressPerMinute,
        produceTimeoutMs: config.produceTimeoutMs,
        maxFutureSkewMs: config.maxFutureSkewMs,
      },
    );
    return { app, port: config.port, host: config.host };
  },
});

import { consumerHealthChecks } from '@streamkit/kafka';
import { defineService, scheduleRetention } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { loadCatalogIndex } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { acquirePostgres, acquireRedis, acquireTopics, recsKafka, startPart } from '../common/resources.ts';
import { recsTopicSpecs, recsTopics } from '../common/topics.ts';
import { featuresEnv } from './config.ts';
import { createFeaturesMetrics } from './features-metrics.ts';
import { pruneFeatureStore } from './retention.ts';
import { featuresRetentionEnv } from './retention-config.ts';
import { validateFeaturesSettings } from './settings.ts';
import { createFeaturesWorker } from './worker.ts';

/**
 * The features worker: ecommerce.events → online store (Redis) and offline store (Postgres).
 * `/metrics` and `/health` on METRICS_PORT (9111).
 */
export const featuresService = defineService({
  name: 'recs-features',
  config: { ...featuresEnv, ...featuresRetentionEnv },
  async start(ctx) {
    const { config, logger, registry, acquire } = ctx;
    const settings = validateFeaturesSettings({
      groupId: config.groupId ?? `${config.topicPrefix}recs-features`,
      maxBatchSize: config.maxBatchSize,
      sessionTimeoutMs: config.sessionTimeoutMs,
      fetchMaxWaitMs: config.fetchMaxWaitMs,
      commitIntervalMs: config.commitIntervalMs,
      minRunIntervalMs: config.minRunIntervalMs,
      partitionsConsumedConcurrently: config.eventsPartitions,
      allowedLatenessMs: config.allowedLatenessMs,
      popularityRefreshMs: config.popularityRefreshMs,
      snapshotIntervalMs: config.snapshotIntervalMs,
      maxFutureSkewMs: config.maxFutureSkewMs,
      sessionTtlSeconds: 86_400,
      bucketTtlSeconds: 3 * 86_400,
      userTtlSeconds: 30 * 86_400,
    });
    const topics = recsTopics(config.topicPrefix);
    const kafka = recsKafka(config, logger);
    const pool = await acquirePostgres(ctx, config.databaseUrl, 4);
    const catalog = await acquire('catalog', () => loadCatalogIndex(pool));
    const redis = await acquireRedis(ctx, config.redisUrl);
    const admin = await acquireTopics(ctx, kafka, [recsTopicSpecs(topics, config.eventsPartitions).events]);
    const keys = recsRedisKeys(config.redisKeyPrefix);
    await scheduleRetention(ctx, {
      intervalMs: config.retentionIntervalMs,
      prune: (signal) =>
        pruneFeatureStore(
          { redis, pool, keys, logger },
          {
            eventsRetentionMs: config.eventsRetentionMs,
            snapshotsRetentionMs: config.snapshotsRetentionMs,
            batchRows: config.retentionBatchRows,
          },
          signal,
        ),
    });
    // registered once, whatever the number of start attempts (a start may wait out an outage)
    const metrics = createPipelineMetrics(registry);
    const featuresMetrics = createFeaturesMetrics(registry);
    const worker = await startPart(ctx, 'features worker', () =>
      createFeaturesWorker({
        kafka,
        redis,
        pool,
        topics,
        keys,
        categoryOf: (p) => catalog.categoryOf(p),
        settings,
        metrics,
        featuresMetrics,
        logger,
      }),
    );
    logger.info('features worker consuming', { topic: topics.events.name, products: catalog.size });
    return {
      metrics: {
        port: config.metricsPort,
        checks: consumerHealthChecks({ admin, redis, postgres: pool, consumer: worker }),
      },
      parts: { worker },
    };
  },
});

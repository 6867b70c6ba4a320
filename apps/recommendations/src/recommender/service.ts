import { defineService, HealthCheckFailedError, postgresCheck, redisCheck } from '@streamkit/runtime';
import { loadCatalogIndex } from '../catalog/index.ts';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { acquirePostgres, acquireRedis, startPart } from '../common/resources.ts';
import { recommenderEnv } from './config.ts';
import { createRecommender } from './recommender.ts';
import { createRecommenderMetrics } from './recommender-metrics.ts';
import { validateRecommenderSettings } from './settings.ts';

/**
 * The recommender: re-ranks users whose features changed into the Redis cache, with the newest
 * model version. `/metrics` and `/health` on METRICS_PORT (9112).
 */
export const recommenderService = defineService({
  name: 'recs-recommender',
  config: recommenderEnv,
  async start(ctx) {
    const { config, logger, registry, acquire } = ctx;
    const settings = validateRecommenderSettings({
      batchSize: config.batchSize,
      topN: config.topN,
      recsTtlSeconds: config.recsTtlSeconds,
      signalsRefreshMs: config.signalsRefreshMs,
      modelPollIntervalMs: config.modelPollIntervalMs,
      idlePollMs: config.idlePollMs,
      minRoundIntervalMs: config.minRoundIntervalMs,
      claimLeaseMs: config.claimLeaseMs,
    });
    const pool = await acquirePostgres(ctx, config.databaseUrl, 2);
    const catalog = await acquire('catalog', () => loadCatalogIndex(pool));
    const redis = await acquireRedis(ctx, config.redisUrl, 'redis commands');
    const subscriber = await acquireRedis(ctx, config.redisUrl, 'redis subscriber');
    const metrics = createRecommenderMetrics(registry); // once, whatever the number of start attempts
    const recommender = await startPart(ctx, 'recommender', () =>
      createRecommender({
        redis,
        subscriber,
        pool,
        keys: recsRedisKeys(config.redisKeyPrefix),
        catalog,
        settings,
        metrics,
        logger,
      }),
    );
    logger.info('recommender ranking', { model: recommender.modelVersion() });
    return {
      metrics: {
        port: config.metricsPort,
        checks: {
          redis: redisCheck(redis),
          postgres: postgresCheck(pool),
          // degraded while rounds wait for Redis or PostgreSQL (retried, never given up)
          rounds: async () => {
            const o = recommender.outage();
            if (o === undefined) return;
            throw new HealthCheckFailedError(
              `waiting on infrastructure since ${new Date(o.since).toISOString()}: ${o.reason}: ${o.message}`,
            );
          },
        },
      },
      parts: { recommender },
    };
  },
});

import { acquireAdmin, consumerHealthChecks } from '@streamkit/kafka';
import { acquirePool } from '@streamkit/postgres';
import { defineService } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createFraudKafka } from '../common/kafka.ts';
import { closeRedis, openRedis } from '../common/redis.ts';
import { fraudRedisKeys } from '../common/redis-keys.ts';
import { fraudTopicSpecs, fraudTopics } from '../common/topics.ts';
import { startWatched } from '../common/watched.ts';
import { migrate } from '../db/migrate.ts';
import { detectorEnv } from './config.ts';
import { createDetectorMetrics } from './detector-metrics.ts';
import { createDetector } from './processor.ts';

/** The detector: payments → CEP, rules and model → decisions and alerts, exactly once. */
export const detectorService = defineService({
  name: 'fraud-detector',
  config: detectorEnv,
  async start({ config, logger, registry, acquire, watch }) {
    const topics = fraudTopics(config.topicPrefix);
    const kafka = createFraudKafka(config, logger);
    // one for queries, one held by each LISTEN (rules, models), one spare for the health check
    const pool = await acquirePool({ acquire, logger }, config.databaseUrl, { max: 4, migrate });
    const redis = await acquire(
      'redis',
      () => openRedis(config.redisUrl, { maxRetriesPerRequest: 3 }, logger),
      closeRedis,
    );
    const admin = await acquireAdmin({ acquire }, kafka, fraudTopicSpecs(topics, config.paymentsPartitions));

    // registered once, whatever the number of start attempts
    const metrics = createPipelineMetrics(registry);
    const detectorMetrics = createDetectorMetrics(registry);
    // acquired last so it stops first: the batch in flight finishes and commits. Made anew for each
    // attempt: a start that waits out an outage retries with a fresh detector
    const detector = await startWatched({ acquire, watch }, 'detector', async () => {
      const created = createDetector({
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
          maxFutureSkewMs: config.maxFutureSkewMs,
          cardStateTtlSeconds: config.cardStateTtlSeconds,
          decisionTtlSeconds: config.decisionTtlSeconds,
          rulesReloadIntervalMs: config.rulesReloadIntervalMs,
          modelPollIntervalMs: config.modelPollIntervalMs,
          stateCacheCards: config.stateCacheCards,
          commitLingerMs: config.commitLingerMs,
          fetchMinBytes: config.fetchMinBytes,
          fetchMaxWaitMs: config.fetchMaxWaitMs,
        },
        metrics,
        detectorMetrics,
        logger,
      });
      await created.start();
      return created;
    });
    return {
      metrics: {
        port: config.metricsPort,
        checks: consumerHealthChecks({ admin, redis, postgres: pool, consumer: detector }),
      },
      parts: { detector, registry },
    };
  },
});

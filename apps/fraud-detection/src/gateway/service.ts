import { acquireAdmin, acquireProducer, ensureTopics, kafkaAdminCheck } from '@streamkit/kafka';
import { defineService, redisCheck } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createFraudKafka } from '../common/kafka.ts';
import { closeRedis, openRedis } from '../common/redis.ts';
import { fraudRedisKeys } from '../common/redis-keys.ts';
import { fraudTopicSpecs, fraudTopics } from '../common/topics.ts';
import { buildApp } from './app.ts';
import { gatewayEnv } from './config.ts';
import { subscribeDecisions } from './decision-subscriber.ts';
import { createDecisionWaiters } from './decision-waiters.ts';

/** The topics the gateway writes (payments) and follows (decisions). */
export const gatewayTopics = ['payments', 'decisions'] as const;

/**
 * The payment gateway: POST /payments → Kafka, GET /payments/:id long-polls the decision. What it
 * runs on is acquired here and released in reverse after the app closed: the decisions subscriber, then
 * the producer (its pending acks still update Redis), then Redis.
 */
export const gatewayService = defineService({
  name: 'fraud-gateway',
  config: gatewayEnv,
  async start({ config, logger, registry, acquire }) {
    const topics = fraudTopics(config.topicPrefix);
    const keys = fraudRedisKeys(config.redisKeyPrefix);
    const metrics = createPipelineMetrics(registry);
    const kafka = createFraudKafka(config, logger, '-gateway');
    await acquire('kafka topics', () =>
      ensureTopics(kafka, fraudTopicSpecs(topics, config.paymentsPartitions, gatewayTopics)),
    );
    // Auto-pipelining: the commands of all requests in flight go out in one write per tick, not one each.
    const redis = await acquire(
      'redis',
      () => openRedis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true }, logger),
      closeRedis,
    );
    const admin = await acquireAdmin({ acquire }, kafka);
    const producer = await acquireProducer({ acquire }, kafka, {
      lingerMs: config.producerLingerMs,
      maxBufferedMessages: config.producerMaxBuffered,
      metrics,
    });
    const waiters = createDecisionWaiters({ maxWaiters: config.maxWaiters });
    // every gateway process hears every announced decision, to wake its own long-polls; measured
    // cheaper than a read_committed consumer of the decisions topic per process (see README)
    const subscriber = await acquire(
      'redis decisions subscriber',
      () =>
        openRedis(
          config.redisUrl,
          // named, so that operators (and a test) can tell it in CLIENT LIST
          { maxRetriesPerRequest: null, connectionName: `${keys.decisionsChannel()}-subscriber` },
          logger,
        ),
      closeRedis,
    );
    await acquire('decision announcements', () =>
      subscribeDecisions({
        subscriber,
        redis,
        keys,
        waiters,
        logger,
        metrics,
        metricTopic: topics.decisions.name,
      }),
    );

    const app = await buildApp(
      {
        redis,
        producer,
        topics,
        keys,
        waiters,
        registry,
        metrics,
        checks: { redis: redisCheck(redis), kafka: kafkaAdminCheck(admin) },
        logger: { level: 'warn' },
      },
      {
        apiKey: config.apiKey,
        bodyLimitBytes: config.bodyLimitBytes,
        maxInFlight: config.maxInFlight,
        maxWaitMs: config.maxWaitMs,
        maxWaiters: config.maxWaiters,
        produceTimeoutMs: config.produceTimeoutMs,
        idempotencyTtlS: config.idempotencyTtlS,
        maxFutureSkewMs: config.maxFutureSkewMs,
      },
    );
    return { app, port: config.port, host: config.host, parts: { topics, keys, waiters } };
  },
});

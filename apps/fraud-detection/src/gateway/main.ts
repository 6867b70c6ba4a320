// Process entry of the payment gateway: node --import @streamkit/telemetry/register src/gateway/main.ts
import { hostname } from 'node:os';
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, createProducer } from '@streamkit/kafka';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  redisCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { Redis } from 'ioredis';
import { fraudRedisKeys } from '../common/redis-keys.ts';
import { fraudTopics } from '../common/topics.ts';
import { buildApp } from './app.ts';
import { gatewayEnv } from './config.ts';
import { startDecisionFeed } from './decision-feed.ts';
import { createDecisionWaiters } from './decision-waiters.ts';
import { ensureGatewayTopics } from './topic-setup.ts';

const config = loadConfig(gatewayEnv);
const logger = createConsoleLogger('info');
logger.info(`gateway starting ${JSON.stringify(describeConfig(gatewayEnv, config))}`);

const topics = fraudTopics(config.topicPrefix);
const keys = fraudRedisKeys(config.redisKeyPrefix);
const registry = createServiceRegistry('fraud-gateway');
const metrics = createPipelineMetrics(registry);
const instanceId = config.instanceId ?? `${hostname()}-${process.pid}`;
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-gateway`,
  logger,
});

await ensureGatewayTopics(kafka, topics, config.paymentsPartitions);
// Auto-pipelining: the commands of all requests in flight go out in one write per tick, not one each.
const redis = new Redis(config.redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 2,
  enableAutoPipelining: true,
});
await redis.connect();
const admin = await createAdmin(kafka);
const producer = await createProducer(kafka, {
  lingerMs: config.producerLingerMs,
  maxBufferedMessages: config.producerMaxBuffered,
  metrics,
});
const waiters = createDecisionWaiters({ maxWaiters: config.maxWaiters });
const decisionFeed = await startDecisionFeed(kafka, {
  topic: topics.decisions,
  // every gateway process follows all decisions to wake its own long-polls
  groupId: `${config.topicPrefix}fraud-gateway-decisions-${instanceId}`,
  waiters,
  metrics,
});

const app = await buildApp(
  {
    redis,
    producer,
    topics,
    keys,
    waiters,
    decisionFeed,
    registry,
    metrics,
    checks: {
      redis: redisCheck(redis),
      kafka: check(() => admin.listTopics()),
    },
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
  },
);

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
shutdown.add('admin', () => admin.disconnect());
// app.close(): stop accepting, finish open requests, stop the decision feed, flush the producer, close Redis
shutdown.add('http', () => app.close());

// A crashed decision feed means long-polls would silently stop working: fail loudly instead.
decisionFeed.done.catch((error: unknown) => {
  logger.error(`decision feed crashed: ${(error as Error).message}`);
  crashed = true;
  void shutdown.shutdown('decision feed crashed');
});

const address = await app.listen({ port: config.port, host: config.host });
logger.info(`gateway listening on ${address}`);

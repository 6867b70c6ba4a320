// Process entry of the alert service: node --import @streamkit/telemetry/register src/alerts/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, ensureTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { fraudTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { startAlertConsumer } from './alert-consumer.ts';
import { createAlertFeed } from './alert-feed.ts';
import { createAlertServiceMetrics } from './alert-metrics.ts';
import { createAlertSink } from './alert-sink.ts';
import { createAlertStore } from './alert-store.ts';
import { buildApp } from './app.ts';
import { alertsConfigSpec, crossCheckAlertsConfig } from './config.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { AlertsSettingsError } from './errors.ts';
import { startWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

const config = loadConfig(alertsConfigSpec);
const problems = crossCheckAlertsConfig(config);
if (problems.length > 0) throw new AlertsSettingsError('alerts configuration', problems);
const logger = createConsoleLogger('info');
logger.info(`alerts starting ${JSON.stringify(describeConfig(alertsConfigSpec, config))}`);

const topics = fraudTopics(config.topicPrefix);
const registry = createServiceRegistry('fraud-alerts');
const metrics = createPipelineMetrics(registry);
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-alerts`,
  logger,
});
await ensureTopics(kafka, [
  {
    topic: topics.alerts.name,
    partitions: config.paymentsPartitions,
    retentionMs: 7 * 86_400_000,
    withDlq: true,
  },
]);

const pool = createPool(config.databaseUrl, {
  max: 10,
  onIdleError: (error) => logger.warn('idle postgres connection lost', { error: error.message }),
});
await migrate(pool);
const store = createAlertStore(pool);
let worker: WebhookWorker | undefined;
const feed = await createAlertFeed({
  databaseUrl: config.databaseUrl,
  store,
  maxSubscribers: config.maxSubscribers,
  logger,
  // every replica's feed sees every alert: its worker looks at the outbox at once
  onEvents: (events) => {
    if (events.some((e) => e.kind === 'alert')) worker?.wake();
  },
});
const serviceMetrics = createAlertServiceMetrics(registry, { subscriberCount: () => feed.subscriberCount });
const admin = await createAdmin(kafka);

const app = await buildApp(
  {
    pool,
    store,
    feed,
    registry,
    apiKey: config.apiKey,
    checks: { kafka: check(() => admin.listTopics()), postgres: postgresCheck(pool) },
  },
  {
    consoleOpen: config.consoleOpen,
    stream: { heartbeatMs: config.streamHeartbeatMs },
    logger: { level: 'warn' },
  },
);

if (config.webhookUrls.length > 0 && config.webhookSecret !== undefined) {
  worker = startWebhookWorker({
    store: createDeliveryStore(pool),
    secret: config.webhookSecret,
    maxAttempts: config.webhookMaxAttempts,
    initialBackoffMs: config.webhookInitialBackoffMs,
    maxBackoffMs: config.webhookMaxBackoffMs,
    concurrency: config.webhookConcurrency,
    requestTimeoutMs: config.webhookTimeoutMs,
    pollIntervalMs: config.webhookPollMs,
    logger,
    onResult: (result) => serviceMetrics.webhookDeliveries.inc({ result }),
  });
}

const consumer = await startAlertConsumer(kafka, {
  topic: topics.alerts,
  groupId: `${config.topicPrefix}${config.groupId}`,
  sink: createAlertSink({ pool, webhookUrls: config.webhookUrls }),
  metrics,
  logger,
  onStored: () => worker?.wake(),
});

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
// steps run newest first: consumer, webhooks, admin, then HTTP (SSE streams, LISTEN feed, pool)
shutdown.add('http', () => app.close());
shutdown.add('admin', () => admin.disconnect());
if (worker !== undefined) shutdown.add('webhooks', () => worker?.stop() ?? Promise.resolve());
shutdown.add('consumer', () => consumer.stop());

consumer.done.catch((error: unknown) => {
  logger.error(`alert consumer crashed: ${(error as Error).message}`);
  crashed = true;
  void shutdown.shutdown('alert consumer crashed');
});

const address = await app.listen({ port: config.port, host: config.host });
logger.info(`alerts listening on ${address} (console at ${address}/)`);

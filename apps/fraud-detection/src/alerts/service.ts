import { createAdmin, ensureTopics, outageCheck } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { check, defineService, describeError, postgresCheck } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createFraudKafka } from '../common/kafka.ts';
import { fraudTopicSpecs, fraudTopics } from '../common/topics.ts';
import { startWatched } from '../common/watched.ts';
import { migrate } from '../db/migrate.ts';
import { startAlertConsumer } from './alert-consumer.ts';
import { createAlertFeed } from './alert-feed.ts';
import { createAlertServiceMetrics } from './alert-metrics.ts';
import { createAlertSink } from './alert-sink.ts';
import { createAlertStore } from './alert-store.ts';
import { buildApp } from './app.ts';
import { alertsConfigSpec, crossCheckAlertsConfig } from './config.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { startWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

/**
 * The alert system: fraud.alerts → Postgres (idempotent) → REST, live SSE console, signed webhooks.
 * The app owns the pool and the LISTEN feed (closed by app.close()); the consumer and the webhook
 * worker stop before it closes, so nothing is written to a closed pool.
 */
export const alertsService = defineService({
  name: 'fraud-alerts',
  config: alertsConfigSpec,
  checkConfig: crossCheckAlertsConfig,
  async start({ config, logger, registry, acquire, watch }) {
    const topics = fraudTopics(config.topicPrefix);
    const metrics = createPipelineMetrics(registry);
    const kafka = createFraudKafka(config, logger, '-alerts');
    await acquire('kafka topics', () =>
      ensureTopics(kafka, fraudTopicSpecs(topics, config.paymentsPartitions, ['alerts'])),
    );
    const pool = await acquire(
      'postgres',
      () =>
        createPool(config.databaseUrl, {
          max: 10,
          onIdleError: (error) =>
            logger.warn('idle postgres connection lost', { error: describeError(error) }),
        }),
      (p) => (p.ended || p.ending ? undefined : p.end()),
    );
    await acquire('migrations', () => migrate(pool));
    const store = createAlertStore(pool);
    let worker: WebhookWorker | undefined;
    const feed = await acquire(
      'alert feed',
      () =>
        createAlertFeed({
          databaseUrl: config.databaseUrl,
          store,
          maxSubscribers: config.maxSubscribers,
          logger,
          // every replica's feed sees every alert: its worker looks at the outbox at once
          onEvents: (events) => {
            if (events.some((e) => e.kind === 'alert')) worker?.wake();
          },
        }),
      (f) => f.close(),
    );
    const serviceMetrics = createAlertServiceMetrics(registry, {
      subscriberCount: () => feed.subscriberCount,
    });
    const admin = await acquire(
      'kafka admin',
      () => createAdmin(kafka),
      (a) => a.disconnect(),
    );

    if (config.webhookUrls.length > 0 && config.webhookWorker && config.webhookSecret !== undefined) {
      const secret = config.webhookSecret;
      worker = await acquire(
        'webhooks',
        () =>
          startWebhookWorker({
            store: createDeliveryStore(pool),
            secret,
            maxAttempts: config.webhookMaxAttempts,
            initialBackoffMs: config.webhookInitialBackoffMs,
            maxBackoffMs: config.webhookMaxBackoffMs,
            concurrency: config.webhookConcurrency,
            requestTimeoutMs: config.webhookTimeoutMs,
            pollIntervalMs: config.webhookPollMs,
            logger,
            onResult: (result) => serviceMetrics.webhookDeliveries.inc({ result }),
          }),
        (w) => w.stop(),
      );
    }
    const consumer = await startWatched({ acquire, watch }, 'alert consumer', () =>
      startAlertConsumer(kafka, {
        topic: topics.alerts,
        groupId: `${config.topicPrefix}${config.groupId}`,
        sink: createAlertSink({ pool, webhookUrls: config.webhookUrls }),
        metrics,
        logger,
        onStored: () => worker?.wake(),
      }),
    );

    const app = await buildApp(
      {
        pool,
        store,
        feed,
        registry,
        apiKey: config.apiKey,
        checks: {
          kafka: check(() => admin.listTopics()),
          postgres: postgresCheck(pool),
          // degraded while alerts wait for PostgreSQL to come back (they are retried, never dead-lettered)
          consumer: outageCheck(consumer),
        },
      },
      {
        consoleOpen: config.consoleOpen,
        stream: { heartbeatMs: config.streamHeartbeatMs },
        logger: { level: 'warn' },
      },
    );
    // the HTTP server closes first (it owns the pool): the consumer and the worker stop before it
    app.addHook('preClose', async () => {
      await consumer.stop();
      await worker?.stop();
    });
    return { app, port: config.port, host: config.host, parts: { topics, store, feed } };
  },
});

import type { EventStreams } from '@streamkit/http';
import { acquireAdmin, consumerHealthChecks, ensureTopics } from '@streamkit/kafka';
import { acquirePool } from '@streamkit/postgres';
import { defineService, scheduleRetention } from '@streamkit/runtime';
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
import { pruneAlerts } from './retention.ts';
import { alertsRetentionEnv, crossCheckAlertsRetention } from './retention-config.ts';
import { startWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

/**
 * The alert system: fraud.alerts → Postgres (idempotent) → REST, live SSE console, signed webhooks.
 * Released in reverse: the app (its streams end), the consumer and the webhook worker, then the
 * LISTEN feed and the pool, so nothing is written to a closed pool.
 */
export const alertsService = defineService({
  name: 'fraud-alerts',
  config: { ...alertsConfigSpec, ...alertsRetentionEnv },
  checkConfig: (config) => [...crossCheckAlertsConfig(config), ...crossCheckAlertsRetention(config)],
  async start({ config, logger, registry, acquire, watch, every }) {
    const topics = fraudTopics(config.topicPrefix);
    const metrics = createPipelineMetrics(registry);
    const kafka = createFraudKafka(config, logger, '-alerts');
    await acquire('kafka topics', () =>
      ensureTopics(kafka, fraudTopicSpecs(topics, config.paymentsPartitions, ['alerts'])),
    );
    const pool = await acquirePool({ acquire, logger }, config.databaseUrl, { max: 10, migrate });
    // released (stopped) before the pool, as every acquired resource, so no prune outlives it
    await scheduleRetention(
      { acquire, every, logger, registry },
      {
        intervalMs: config.retentionIntervalMs,
        prune: (signal) =>
          pruneAlerts(
            pool,
            {
              alertsRetentionMs: config.alertsRetentionMs,
              eventsRetentionMs: config.eventsRetentionMs,
              deliveriesRetentionMs: config.deliveriesRetentionMs,
              limits: { batchRows: config.retentionBatchRows },
            },
            signal,
          ),
      },
    );
    const store = createAlertStore(pool);
    let worker: WebhookWorker | undefined;
    const feed = await acquire(
      'alert feed',
      () =>
        createAlertFeed({
          databaseUrl: config.databaseUrl,
          store,
          logger,
          // every replica's feed sees every alert: its worker looks at the outbox at once
          onEvents: (events) => {
            if (events.some((e) => e.kind === 'alert')) worker?.wake();
          },
        }),
      (f) => f.close(),
    );
    let streams: EventStreams | undefined; // the app's, built last
    const serviceMetrics = createAlertServiceMetrics(registry, {
      subscriberCount: () => streams?.clientCount ?? 0,
    });
    const admin = await acquireAdmin({ acquire }, kafka);

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

    const built = await buildApp(
      {
        store,
        feed,
        registry,
        apiKey: config.apiKey,
        checks: consumerHealthChecks({ admin, postgres: pool, consumer }),
      },
      {
        consoleOpen: config.consoleOpen,
        stream: {
          heartbeatMs: config.streamHeartbeatMs,
          maxClients: config.maxSubscribers,
          maxClientsPerAddress: config.maxSubscribersPerAddress,
          maxHistoryEvents: config.streamMaxReplay,
        },
        sessionTtlS: config.sessionTtlS,
        sessionsPerAddressPerMinute: config.sessionsPerMinute,
        logger: { level: 'warn' },
      },
    );
    streams = built.streams;
    return { app: built.app, port: config.port, host: config.host, parts: { topics, store, feed, streams } };
  },
});

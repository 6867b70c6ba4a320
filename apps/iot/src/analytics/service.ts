import { mkdir } from 'node:fs/promises';
import { kafkaAdminCheck, runConsumer } from '@streamkit/kafka';
import { check, defineService, describeError, postgresCheck } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { acquireDatabase, acquireKafka } from '../common/service-resources.ts';
import { buildApp } from './app.ts';
import { analyticsEnv } from './config.ts';
import { type LakeDatabase, openLakeDatabase } from './lake-database.ts';
import { createLiveFeed, type LiveFeed } from './live-feed.ts';
import { createLiveStore } from './live-store.ts';

/** What tests reach into; production never reads it. */
export interface AnalyticsParts {
  readonly lake: LakeDatabase;
  readonly feed: LiveFeed;
}

/**
 * The analytics service: SQL over the Parquet lake (DuckDB), live windows from Postgres and alerts
 * from Kafka to the dashboard (SSE), and the dashboard page.
 */
export const analyticsService = defineService({
  name: 'iot-analytics',
  config: analyticsEnv,
  async start(context) {
    const { config, acquire, watch, logger, registry } = context;
    const pool = await acquireDatabase(context, 4);
    await mkdir(config.lakeDir, { recursive: true });
    const lake = await acquire(
      'duckdb',
      () =>
        openLakeDatabase(config.lakeDir, {
          memoryLimit: config.duckdbMemoryLimit,
          scheduler: { maxInFlight: config.queriesInFlight, maxPerClient: config.queriesPerClient },
          defaultTimeoutMs: config.queryTimeoutMs,
        }),
      (db) => db.close(),
    );
    const live = createLiveStore(pool);
    const feed = await acquire(
      'live feed',
      () =>
        createLiveFeed(live, { pollMs: config.livePollMs }, (error) =>
          logger.warn('live window poll failed', { error: describeError(error) }),
        ),
      (f) => f.close(),
    );
    const { kafka, admin, topics } = await acquireKafka(context, config.kafkaClientId, ['alerts']);
    const app = await buildApp(
      {
        db: lake,
        live,
        feed,
        registry,
        apiKey: config.apiKey,
        sessionsPerAddressPerMinute: config.sessionsPerMinute,
        limits: { maxRows: config.sqlMaxRows, maxBytes: config.sqlMaxBytes, timeoutMs: config.sqlTimeoutMs },
        queryTimeoutMs: config.queryTimeoutMs,
        sqlKey: config.sqlKey,
        checks: {
          kafka: kafkaAdminCheck(admin),
          postgres: postgresCheck(pool),
          lake: check(() => lake.query('SELECT 1')),
        },
      },
      { logger: false },
    );
    // each replica reads every alert (it fans them out to its own dashboards): a group of its own
    const consumer = await acquire(
      'alerts consumer',
      () =>
        runConsumer(kafka, {
          groupId: `iot-analytics-${config.instanceId}`,
          topic: topics.alerts,
          fromBeginning: false,
          metrics: createPipelineMetrics(registry),
          logger,
          handleBatch: async (alerts) => {
            for (const a of alerts) feed.publishAlert(a.value);
          },
        }),
      (c) => c.stop(),
    );
    watch('alerts consumer', consumer.done);
    return { app, port: config.port, host: config.host, parts: { lake, feed } };
  },
});

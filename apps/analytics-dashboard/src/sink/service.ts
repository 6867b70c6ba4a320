import { acquireAdmin, consumerHealthChecks, createKafka } from '@streamkit/kafka';
import { acquirePool } from '@streamkit/postgres';
import { defineService, scheduleRetention } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { dashboardTopicSpecs, dashboardTopics } from '../common/topics.ts';
import { migrateViews } from '../views/migrate-views.ts';
import { sinkConfigSpec } from './config.ts';
import { createLogSink, type SinkWriteResult } from './log-sink.ts';
import { createRetentionPruner } from './retention.ts';
import { startSinkConsumer } from './sink-consumer.ts';

/** What the sink wrote since it started (tests read it through `parts`). */
export interface SinkTotals {
  inserted: number;
  duplicates: number;
  late: number;
}

/** logs.http → the PostgreSQL views (VIEWS_ENGINE=postgres; RisingWave and Materialize read Kafka themselves). */
export const sinkService = defineService({
  name: 'dashboard-sink',
  config: sinkConfigSpec,
  checkConfig: (config) =>
    config.viewsEngine === 'postgres'
      ? []
      : [`VIEWS_ENGINE=${config.viewsEngine} reads Kafka itself: the PostgreSQL sink is not needed`],
  async start({ config, logger, registry, acquire, watch, every }) {
    const topics = dashboardTopics(config.topicPrefix);
    const kafka = createKafka({
      brokers: config.kafkaBrokers,
      client: config.kafkaClient,
      clientId: `${config.kafkaClientId}-sink`,
      logger,
    });
    await acquire('views migrations', () =>
      migrateViews({
        engine: 'postgres',
        url: config.databaseUrl,
        logsTopic: topics.logs.name,
        kafkaBootstrap: config.kafkaBrokers.join(','),
      }),
    );
    // one connection per batch in flight, one for the health check, one for retention
    const pool = await acquirePool({ acquire, logger }, config.databaseUrl, { max: 3 });
    const admin = await acquireAdmin({ acquire }, kafka, [
      dashboardTopicSpecs(topics, config.logsPartitions).logs,
    ]);

    const pruner = createRetentionPruner({
      pool,
      linesRetentionMs: config.linesRetentionMs,
      rollupRetentionMs: config.rollupRetentionMs,
      allowedLatenessMs: config.allowedLatenessMs,
      batchRows: config.retentionBatchRows,
      maxBatchesPerRun: 100,
    });
    await scheduleRetention(
      { acquire, every, logger, registry },
      {
        intervalMs: config.retentionIntervalMs,
        prune: async (signal) => (await pruner.prune(signal)).deleted,
      },
    );

    const totals: SinkTotals = { inserted: 0, duplicates: 0, late: 0 };
    // acquired last so it stops first: the batch in flight finishes and commits
    const consumer = await acquire(
      'sink consumer',
      () =>
        startSinkConsumer(kafka, {
          topic: topics.logs,
          groupId: `${config.topicPrefix}${config.groupId}`,
          sink: createLogSink({ pool, allowedLatenessMs: config.allowedLatenessMs }),
          metrics: createPipelineMetrics(registry),
          logger,
          maxBatchSize: config.maxBatchSize,
          sessionTimeoutMs: config.sessionTimeoutMs,
          maxFutureSkewMs: config.maxFutureSkewMs,
          onWritten: (result: SinkWriteResult) => {
            totals.inserted += result.inserted;
            totals.duplicates += result.duplicates;
            totals.late += result.late;
          },
        }),
      (c) => c.stop(),
    );
    watch('sink consumer', consumer.done);
    return {
      metrics: {
        port: config.metricsPort,
        checks: consumerHealthChecks({ admin, postgres: pool, consumer }),
      },
      parts: { totals },
    };
  },
});

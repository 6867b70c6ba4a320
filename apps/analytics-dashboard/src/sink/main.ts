// Process entry of the PostgreSQL views sink (VIEWS_ENGINE=postgres):
// node --import @streamkit/telemetry/register src/sink/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
  startObservabilityServer,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { dashboardTopics } from '../common/topics.ts';
import { migrateViews } from '../views/migrate-views.ts';
import { sinkConfigSpec } from './config.ts';
import { createLogSink } from './log-sink.ts';
import { createRetentionPruner } from './retention.ts';
import { startSinkConsumer } from './sink-consumer.ts';

const config = loadConfig(sinkConfigSpec);
const logger = createConsoleLogger(config.logLevel);
logger.info('sink starting', describeConfig(sinkConfigSpec, config));

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  if (config.viewsEngine !== 'postgres')
    throw new Error(
      `VIEWS_ENGINE=${config.viewsEngine} reads Kafka itself: the PostgreSQL sink is not needed`,
    );
  const registry = createServiceRegistry('dashboard-sink');
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: `${config.kafkaClientId}-sink`,
    logger,
  });
  const topics = dashboardTopics(config.topicPrefix);

  await migrateViews({
    engine: 'postgres',
    url: config.databaseUrl,
    logsTopic: topics.logs.name,
    kafkaBootstrap: config.kafkaBrokers.join(','),
  });
  // one connection per batch in flight, one for the health check, one for retention
  const pool = createPool(config.databaseUrl, {
    max: 3,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());

  const admin = await createAdmin(kafka);
  shutdown.add('kafka admin', () => admin.disconnect());
  await admin.ensureTopics([
    {
      topic: topics.logs.name,
      partitions: config.logsPartitions,
      retentionMs: 7 * 86_400_000,
      withDlq: true,
    },
  ]);

  const observability = await startObservabilityServer({
    port: config.metricsPort,
    registry,
    checks: { kafka: check(() => admin.listTopics()), postgres: postgresCheck(pool) },
  });
  shutdown.add('observability server', () => observability.close());

  const consumer = await startSinkConsumer(kafka, {
    topic: topics.logs,
    groupId: `${config.topicPrefix}${config.groupId}`,
    sink: createLogSink({ pool, allowedLatenessMs: config.allowedLatenessMs }),
    metrics: createPipelineMetrics(registry),
    logger,
    maxBatchSize: config.maxBatchSize,
  });
  const pruner = createRetentionPruner({
    pool,
    linesRetentionMs: config.linesRetentionMs,
    rollupRetentionMs: config.rollupRetentionMs,
    allowedLatenessMs: config.allowedLatenessMs,
    batchRows: config.retentionBatchRows,
    maxBatchesPerRun: 100,
  });
  let pruning = false;
  const retention = setInterval(() => {
    if (pruning) return; // a slow run is not stacked on
    pruning = true;
    pruner
      .prune()
      .then(({ deleted }) => {
        if (Object.values(deleted).some((n) => n > 0)) logger.info('retention deleted old rows', deleted);
      })
      .catch((error: unknown) =>
        logger.warn('retention failed, will retry', { error: (error as Error).message }),
      )
      .finally(() => {
        pruning = false;
      });
  }, config.retentionIntervalMs);
  shutdown.add('retention', async () => clearInterval(retention));
  // registered last so it stops first: the batch in flight finishes and commits
  shutdown.add('sink consumer', () => consumer.stop());
  logger.info('sink running', { metrics: observability.address, topic: topics.logs.name });

  consumer.done.catch((error: unknown) => {
    logger.error('sink consumer crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('sink failed to start', { error: (error as Error).message });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

// The processor process: node --import @streamkit/telemetry/register src/processor/main.ts
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
import { iotTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { defaultAnomalySettings } from './anomaly.ts';
import { processorEnv } from './config.ts';
import { createProcessor } from './processor.ts';
import { createProcessorMetrics } from './processor-metrics.ts';

const config = loadConfig(processorEnv);
const logger = createConsoleLogger(config.logLevel);
logger.info('processor starting', describeConfig(processorEnv, config));

// after a crash the shutdown still runs its steps, but the exit code must say it failed
let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const registry = createServiceRegistry('iot-processor');
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: config.kafkaClientId,
    logger,
  });
  const topics = iotTopics(config.topicPrefix);
  const pool = createPool(config.databaseUrl, {
    max: 3,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());
  await migrate(pool);

  const admin = await createAdmin(kafka);
  shutdown.add('kafka admin', () => admin.disconnect());
  await admin.ensureTopics([
    { topic: topics.telemetry.name, partitions: config.telemetryPartitions, withDlq: true },
    { topic: topics.alerts.name, partitions: config.telemetryPartitions },
  ]);

  const processor = createProcessor({
    kafka,
    pool,
    topics,
    lakeDir: config.lakeDir,
    settings: {
      groupId: config.groupId,
      trigger: { intervalMs: config.triggerIntervalMs, maxRecords: config.triggerMaxRecords },
      windowMs: config.windowMs,
      allowedLatenessMs: config.allowedLatenessMs,
      anomaly: { ...defaultAnomalySettings, zThreshold: config.zThreshold },
      maxRunSize: config.maxRunSize,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      sessionTimeoutMs: config.sessionTimeoutMs,
    },
    metrics: createPipelineMetrics(registry),
    processorMetrics: createProcessorMetrics(registry),
    logger,
  });

  const observability = await startObservabilityServer({
    port: config.metricsPort,
    registry,
    checks: { kafka: check(() => admin.listTopics()), postgres: postgresCheck(pool) },
  });
  shutdown.add('observability server', () => observability.close());

  // registered last so it stops first: the micro-batch in flight finishes and commits
  shutdown.add('processor', () => processor.stop());
  await processor.start();
  logger.info('processor running', {
    metrics: observability.address,
    topic: topics.telemetry.name,
    lake: config.lakeDir,
  });

  processor.done.catch((error: unknown) => {
    logger.error('processor crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('processor failed to start', {
    error: (error as Error).message,
    cause: String((error as Error).cause ?? ''),
  });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

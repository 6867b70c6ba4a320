// The analytics service: node --import @streamkit/telemetry/register src/analytics/main.ts
import { mkdir } from 'node:fs/promises';
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, runConsumer } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { iotTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { buildApp } from './app.ts';
import { analyticsEnv } from './config.ts';
import { openLakeDatabase } from './lake-database.ts';
import { createLiveFeed } from './live-feed.ts';
import { createLiveStore } from './live-store.ts';

const config = loadConfig(analyticsEnv);
const logger = createConsoleLogger(config.logLevel);
logger.info('analytics starting', describeConfig(analyticsEnv, config));

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const registry = createServiceRegistry('iot-analytics');
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: config.kafkaClientId,
    logger,
  });
  const topics = iotTopics(config.topicPrefix);
  const pool = createPool(config.databaseUrl, {
    max: 4,
    onIdleError: (error) => logger.warn('idle Postgres connection failed', { error: error.message }),
  });
  shutdown.add('postgres', () => pool.end());
  await migrate(pool);
  await mkdir(config.lakeDir, { recursive: true });
  const db = await openLakeDatabase(config.lakeDir, { memoryLimit: config.duckdbMemoryLimit });
  shutdown.add('duckdb', async () => db.close());
  const live = createLiveStore(pool);
  const feed = createLiveFeed(live, { pollMs: config.livePollMs, maxSubscribers: 200 }, (error) =>
    logger.warn('live window poll failed', { error: error.message }),
  );
  shutdown.add('live feed', async () => feed.close());

  const admin = await createAdmin(kafka);
  shutdown.add('kafka admin', () => admin.disconnect());
  await admin.ensureTopics([{ topic: topics.alerts.name, partitions: 6 }]);

  const app = await buildApp(
    {
      db,
      live,
      feed,
      registry,
      limits: { maxRows: config.sqlMaxRows, timeoutMs: config.sqlTimeoutMs },
      checks: {
        kafka: check(() => admin.listTopics()),
        postgres: postgresCheck(pool),
        lake: check(() => db.query('SELECT 1')),
      },
    },
    { logger: false },
  );
  shutdown.add('http server', () => app.close());
  const consumer = await runConsumer(kafka, {
    groupId: `iot-analytics-${config.instanceId}`,
    topic: topics.alerts,
    fromBeginning: false,
    metrics: createPipelineMetrics(registry),
    logger,
    handleBatch: async (alerts) => {
      for (const a of alerts) feed.publishAlert(a.value);
    },
  });
  shutdown.add('alerts consumer', () => consumer.stop());
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info('analytics running', { url: address, dashboard: `${address}/` });
  consumer.done.catch((error: unknown) => {
    logger.error('alerts consumer crashed', { error: (error as Error).message });
    crashed = true;
    void shutdown.shutdown('crash');
  });
} catch (error) {
  logger.error('analytics failed to start', {
    error: (error as Error).message,
    cause: String((error as Error).cause ?? ''),
  });
  crashed = true;
  await shutdown.shutdown('startup failure');
}

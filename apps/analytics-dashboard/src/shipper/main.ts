// Process entry of the log shipper: node --import @streamkit/telemetry/register src/shipper/main.ts
import { hostname } from 'node:os';
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, createProducer } from '@streamkit/kafka';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { ensureDashboardTopics } from '../common/topic-setup.ts';
import { dashboardTopics } from '../common/topics.ts';
import { buildShipperApp } from './app.ts';
import { openCheckpointStore } from './checkpoint-store.ts';
import { shipperEnv } from './config.ts';
import { startFileInputs } from './file-inputs.ts';
import { createLineSender } from './line-sender.ts';
import { createUserAgentClassifier } from './user-agents.ts';

const config = loadConfig(shipperEnv);
const logger = createConsoleLogger('info');
logger.info(`shipper starting ${JSON.stringify(describeConfig(shipperEnv, config))}`);

const topics = dashboardTopics(config.topicPrefix);
const registry = createServiceRegistry('dashboard-shipper');
const metrics = createPipelineMetrics(registry);
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-shipper`,
  logger,
});
await ensureDashboardTopics(kafka, topics, config.logsPartitions);
const admin = await createAdmin(kafka);
const producer = await createProducer(kafka, {
  metrics,
  lingerMs: 2,
  // fewer, larger produce requests (the round trip bounds throughput), under the broker's 1 MiB
  // message.max.bytes per record batch (see SHIPPER_PRODUCE_BATCH_LINES)
  maxBatchSize: config.produceBatchLines,
  // one file batch plus every HTTP request's lines may be buffered at once
  maxBufferedMessages: config.maxBatchLines + config.maxLinesPerRequest * config.maxInFlightRequests,
});
const agents = createUserAgentClassifier();
const defaultHost = config.logHost ?? (hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost');
const sender = createLineSender({ producer, topics, agents, metrics, defaultHost });
const checkpoints = await openCheckpointStore(config.checkpointFile);
const files = startFileInputs(
  sender,
  checkpoints,
  {
    paths: config.files,
    pollIntervalMs: config.pollIntervalMs,
    maxBatchLines: config.maxBatchLines,
    readChunkBytes: 1024 * 1024,
  },
  (error) => logger.warn(`tailing failed, will retry: ${(error as Error).message}`),
);
const app = await buildShipperApp(
  {
    sender,
    topics,
    agents,
    registry,
    metrics,
    producer,
    defaultHost,
    checks: { kafka: check(() => admin.listTopics()) },
  },
  {
    apiKey: config.apiKey,
    bodyLimitBytes: config.bodyLimitBytes,
    maxLinesPerRequest: config.maxLinesPerRequest,
    maxInFlightRequests: config.maxInFlightRequests,
  },
);

const shutdown = createGracefulShutdown({ logger });
// steps run in reverse order: files stop first (their batch in flight is acknowledged and
// checkpointed), then HTTP closes (and with it the producer), then the admin client
shutdown.add('admin', () => admin.disconnect());
shutdown.add('http', () => app.close());
shutdown.add('files', () => files.stop());
files.done.catch((error: unknown) => {
  logger.error(`file input crashed: ${(error as Error).message}`);
  void shutdown.shutdown('file input crashed');
});

const address = await app.listen({ port: config.port, host: config.host });
logger.info(`shipper listening on ${address}; tailing ${config.files.join(', ') || 'no files'}`);

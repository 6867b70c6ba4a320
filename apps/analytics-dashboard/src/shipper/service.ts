import { hostname } from 'node:os';
import { acquireAdmin, acquireProducer, createKafka, kafkaAdminCheck } from '@streamkit/kafka';
import { defineService, describeError } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { dashboardTopicSpecs, dashboardTopics } from '../common/topics.ts';
import { buildShipperApp } from './app.ts';
import { openCheckpointStore } from './checkpoint-store.ts';
import { shipperEnv } from './config.ts';
import { startFileInputs } from './file-inputs.ts';
import { tailerLinesInFlight } from './file-tailer.ts';
import { createLineSender } from './line-sender.ts';
import { createUserAgentClassifier } from './user-agents.ts';

/** The log shipper (the Logstash role): tailed files and POST /logs → parsed, enriched → logs.http. */
export const shipperService = defineService({
  name: 'dashboard-shipper',
  config: shipperEnv,
  async start({ config, logger, registry, acquire, watch }) {
    const topics = dashboardTopics(config.topicPrefix);
    const metrics = createPipelineMetrics(registry);
    const kafka = createKafka({
      brokers: config.kafkaBrokers,
      client: config.kafkaClient,
      clientId: `${config.kafkaClientId}-shipper`,
      logger,
    });
    const admin = await acquireAdmin({ acquire }, kafka, [
      dashboardTopicSpecs(topics, config.logsPartitions).logs,
    ]);
    // closed after the HTTP input and the files stopped: their batches in flight are acknowledged first
    const producer = await acquireProducer({ acquire }, kafka, {
      metrics,
      lingerMs: 2,
      // fewer, larger produce requests (the round trip bounds throughput), under the broker's 1 MiB
      // message.max.bytes per record batch (see SHIPPER_PRODUCE_BATCH_LINES)
      maxBatchSize: config.produceBatchLines,
      // the file tailer's batches in flight (files are polled one at a time) plus every HTTP
      // request's lines may be buffered at once; with room for one batch only, the tailer's second
      // batch was refused on every poll (found by the file-line fuzzer)
      maxBufferedMessages:
        tailerLinesInFlight(config.maxBatchLines) + config.maxLinesPerRequest * config.maxInFlightRequests,
    });
    const agents = createUserAgentClassifier();
    const defaultHost = config.logHost ?? (hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost');
    const sender = createLineSender({
      producer,
      topics,
      agents,
      metrics,
      defaultHost,
      maxFutureSkewMs: config.maxFutureSkewMs,
    });
    const app = await buildShipperApp(
      {
        sender,
        topics,
        agents,
        registry,
        metrics,
        defaultHost,
        checks: { kafka: kafkaAdminCheck(admin) },
      },
      {
        apiKey: config.apiKey,
        bodyLimitBytes: config.bodyLimitBytes,
        maxLinesPerRequest: config.maxLinesPerRequest,
        maxInFlightRequests: config.maxInFlightRequests,
        maxFutureSkewMs: config.maxFutureSkewMs,
      },
    );
    const checkpoints = await acquire('checkpoints', () => openCheckpointStore(config.checkpointFile));
    const files = await acquire(
      'file inputs',
      () =>
        startFileInputs(
          sender,
          checkpoints,
          {
            paths: config.files,
            pollIntervalMs: config.pollIntervalMs,
            maxBatchLines: config.maxBatchLines,
            readChunkBytes: 1024 * 1024,
          },
          (error) => logger.warn(`tailing failed, will retry: ${describeError(error)}`),
        ),
      (f) => f.stop(),
    );
    watch('file input', files.done);
    return { app, port: config.port, host: config.host };
  },
});

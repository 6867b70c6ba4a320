// Process entry of the IoT hub: node --import @streamkit/telemetry/register src/hub/main.ts
import { hostname } from 'node:os';
import { describeConfig, loadConfig } from '@streamkit/config';
import { createAdmin, createKafka, createProducer } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import {
  check,
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { iotTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { buildHubApp } from './app.ts';
import { hubEnv } from './config.ts';
import { createDeviceRegistry } from './device-registry.ts';
import { startHub } from './hub.ts';
import { createHubMetrics } from './hub-metrics.ts';
import { ensureIotTopics } from './topic-setup.ts';

const config = loadConfig(hubEnv);
const logger = createConsoleLogger('info');
logger.info(`hub starting ${JSON.stringify(describeConfig(hubEnv, config))}`);

const topics = iotTopics(config.topicPrefix);
const registry = createServiceRegistry('iot-hub');
const metrics = createPipelineMetrics(registry);
const hubMetrics = createHubMetrics(registry);
const instanceId = config.instanceId ?? `${hostname()}-${process.pid}`;
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-hub`,
  logger,
});
await ensureIotTopics(kafka, topics, config.telemetryPartitions);

const pool = createPool(config.databaseUrl, { max: 4 });
// every replica applies pending migrations at start (they are tracked, so this is a no-op after the first)
await migrate(pool);
const deviceRegistry = createDeviceRegistry(pool);
const admin = await createAdmin(kafka);
const producer = await createProducer(kafka, {
  lingerMs: config.producerLingerMs,
  maxBatchSize: config.producerMaxBatch,
  maxBufferedMessages: config.producerMaxBuffered,
  metrics,
});
const hub = await startHub(
  {
    producer,
    registry: deviceRegistry,
    topics,
    metrics,
    hubMetrics,
    onError: (error) => logger.warn(`hub: ${(error as Error).message}`),
  },
  {
    mqtt: {
      url: config.mqttUrl,
      topics: iotMqttTopics(config.mqttTopicPrefix),
      shareGroup: config.shareGroup,
      clientId: `iot-hub-${instanceId}`,
      maxInFlight: config.mqttMaxInFlight,
      ...(config.mqttUsername === undefined ? {} : { username: config.mqttUsername }),
      ...(config.mqttPassword === undefined ? {} : { password: config.mqttPassword }),
    },
    deviceCache: { ttlMs: config.deviceCacheTtlMs },
    lastSeenFlushMs: config.lastSeenFlushMs,
  },
);

const app = await buildHubApp(
  {
    registry: deviceRegistry,
    cache: hub.cache,
    ingest: hub.ingest,
    metricsRegistry: registry,
    checks: {
      kafka: check(() => admin.listTopics()),
      postgres: postgresCheck(pool),
      mqtt: check(async () => {
        if (!hub.bridge?.connected) throw new Error('not connected to the MQTT broker');
      }),
    },
    logger: { level: 'warn' },
  },
  {
    adminKey: config.adminKey,
    bodyLimitBytes: config.bodyLimitBytes,
    maxLinesPerRequest: config.maxLinesPerRequest,
    maxInFlight: config.maxInFlight,
  },
);

const shutdown = createGracefulShutdown({ logger });
// steps run newest first: HTTP stops, then MQTT (acks in flight), then the producer flushes
shutdown.add('postgres', () => pool.end());
shutdown.add('admin', () => admin.disconnect());
shutdown.add('producer', () => producer.disconnect());
shutdown.add('hub', () => hub.stop());
shutdown.add('http', () => app.close());

const address = await app.listen({ port: config.port, host: config.host });
logger.info(`hub listening on ${address}, MQTT ${config.mqttUrl} group ${config.shareGroup}`);

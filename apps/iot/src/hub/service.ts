import { hostname } from 'node:os';
import { acquireProducer, kafkaAdminCheck, type TypedProducer } from '@streamkit/kafka';
import {
  check,
  defineService,
  describeError,
  HealthCheckFailedError,
  postgresCheck,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import type { Registry } from 'prom-client';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { acquireDatabase, acquireKafka } from '../common/service-resources.ts';
import { buildHubApp } from './app.ts';
import { startBrokerAuth } from './broker-auth.ts';
import { withBrokerCredentials } from './broker-registry.ts';
import { hubEnv } from './config.ts';
import { createDeviceRegistry } from './device-registry.ts';
import { type Hub, startHub } from './hub.ts';
import { createHubMetrics } from './hub-metrics.ts';

/** What tests reach into; production never reads it. */
export interface HubParts {
  readonly hub: Hub;
  readonly registry: Registry;
}

/** Fault-injection seams for tests (production: none). */
export interface HubServiceSeams {
  /** Wraps the hub's real producer, e.g. to fail some sends as if Kafka were unreachable. */
  readonly wrapProducer?: (producer: TypedProducer) => TypedProducer;
  /** Sees every error the hub reports (besides the log line). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The IoT hub: devices' readings over MQTT (shared subscription) and HTTP → validated → Kafka
 * telemetry; the device registry API.
 */
export function defineHubService(seams: HubServiceSeams = {}) {
  return defineService({
    name: 'iot-hub',
    config: hubEnv,
    async start(context) {
      const { config, acquire, logger, registry } = context;
      const metrics = createPipelineMetrics(registry);
      const hubMetrics = createHubMetrics(registry);
      const instanceId = config.instanceId ?? `${hostname()}-${process.pid}`;
      const pool = await acquireDatabase(context, 4);
      const mqttTopics = iotMqttTopics(config.mqttTopicPrefix);
      const brokerAuth = await acquire(
        'MQTT broker identities',
        () =>
          startBrokerAuth({
            url: config.mqttUrl,
            topics: mqttTopics,
            shareGroup: config.shareGroup,
            clientId: `iot-hub-admin-${instanceId}`,
            admin: { username: config.mqttAdminUsername, password: config.mqttAdminPassword },
            hub: { username: config.mqttUsername, password: config.mqttPassword },
            gateway: { username: config.mqttGatewayUsername, password: config.mqttGatewayPassword },
          }),
        (auth) => auth?.close(),
      );
      if (brokerAuth === undefined)
        logger.warn(
          'hub: no HUB_MQTT_ADMIN_USERNAME: the MQTT broker does not authenticate devices (development only)',
        );
      const registryOnly = createDeviceRegistry(pool);
      const deviceRegistry =
        brokerAuth === undefined ? registryOnly : withBrokerCredentials(registryOnly, brokerAuth.credentials);
      const { kafka, admin, topics } = await acquireKafka(context, `${config.kafkaClientId}-hub`, [
        'telemetry',
      ]);
      const producer = await acquireProducer(context, kafka, {
        lingerMs: config.producerLingerMs,
        maxBatchSize: config.producerMaxBatch,
        maxBufferedMessages: config.producerMaxBuffered,
        metrics,
      });
      // stops before the producer: MQTT acks what is in flight, then the producer flushes
      const hub = await acquire(
        'hub',
        () =>
          startHub(
            {
              producer: seams.wrapProducer?.(producer) ?? producer,
              registry: deviceRegistry,
              topics,
              metrics,
              hubMetrics,
              onError: (error) => {
                logger.warn(`hub: ${describeError(error)}`);
                seams.onError?.(error);
              },
            },
            {
              mqtt: {
                url: config.mqttUrl,
                topics: mqttTopics,
                maxPayloadBytes: config.mqttMaxPayloadBytes,
                shareGroup: config.shareGroup,
                clientId: `iot-hub-${instanceId}`,
                maxInFlight: config.mqttMaxInFlight,
                ...(config.mqttUsername === undefined ? {} : { username: config.mqttUsername }),
                ...(config.mqttPassword === undefined ? {} : { password: config.mqttPassword }),
              },
              deviceCache: { ttlMs: config.deviceCacheTtlMs, staleIfErrorMs: config.deviceStaleIfErrorMs },
              lastSeenFlushMs: config.lastSeenFlushMs,
              maxFutureSkewMs: config.maxFutureSkewMs,
            },
          ),
        (h) => h.stop(),
      );
      const app = await buildHubApp(
        {
          registry: deviceRegistry,
          cache: hub.cache,
          ingest: hub.ingest,
          metricsRegistry: registry,
          ...(brokerAuth === undefined ? {} : { reservedDeviceIds: brokerAuth.reservedUsernames }),
          checks: {
            kafka: kafkaAdminCheck(admin),
            postgres: postgresCheck(pool),
            mqtt: check(async () => {
              if (!hub.bridge?.connected) throw new Error('not connected to the MQTT broker');
            }),
            deviceStatuses: check(async () => {
              const outage = hub.cache.outage();
              if (outage !== undefined)
                throw new HealthCheckFailedError(
                  `device registry unreadable since ${new Date(outage.since).toISOString()}: ` +
                    `answering last known statuses (${outage.message})`,
                );
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
      return { app, port: config.port, host: config.host, parts: { hub, registry } };
    },
  });
}

export const hubService = defineHubService();

// A real hub (real Mosquitto, Kafka and Postgres) on topics, MQTT prefix and database of its own.
import { createKafka, createProducer, type KafkaClient, type TypedProducer } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createServiceRegistry, silentLogger } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import {
  createKafkaTestAdmin,
  createTestDatabase,
  type KafkaTestAdmin,
  uniqueName,
} from '@streamkit/testkit';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { inject } from 'vitest';
import { type IotMqttTopics, iotMqttTopics } from '../../src/common/mqtt-topics.ts';
import { type IotTopics, iotTopics } from '../../src/common/topics.ts';
import { migrate } from '../../src/db/migrate.ts';
import { buildHubApp } from '../../src/hub/app.ts';
import { createDeviceRegistry, type DeviceRegistry } from '../../src/hub/device-registry.ts';
import { type Hub, startHub } from '../../src/hub/hub.ts';
import { createHubMetrics } from '../../src/hub/hub-metrics.ts';
import { ensureIotTopics } from '../../src/hub/topic-setup.ts';

export const testAdminKey = 'test-hub-admin-key-0123456789';

export interface HubInstance {
  readonly hub: Hub;
  readonly app: FastifyInstance;
  readonly metrics: Registry;
  /** The value of a counter/gauge sample, e.g. ('iot_hub_readings_total', {channel:'mqtt', outcome:'accepted'}). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export interface InstanceOptions {
  readonly mqtt?: boolean;
  readonly maxInFlight?: number;
  /** Fault injection: wraps the hub's real producer (e.g. to fail some sends). */
  readonly wrapProducer?: (producer: TypedProducer) => TypedProducer;
  readonly onError?: (error: unknown) => void;
  /** Default: testAdminKey. */
  readonly adminKey?: string;
}

export interface HubHarness {
  readonly name: string;
  readonly mqttUrl: string;
  readonly topics: IotTopics;
  readonly mqttTopics: IotMqttTopics;
  readonly kafka: KafkaClient;
  readonly admin: KafkaTestAdmin;
  readonly pool: Pool;
  readonly registry: DeviceRegistry;
  /** Starts one hub replica (MQTT bridge in the harness's share group + HTTP app, not listening). */
  startInstance(options?: InstanceOptions): Promise<HubInstance>;
  close(): Promise<void>;
}

export async function createHubHarness(prefix: string, partitions = 3): Promise<HubHarness> {
  const infra = inject('infrastructure');
  const name = uniqueName(prefix);
  const topics = iotTopics(`${name}.`);
  const mqttTopics = iotMqttTopics(`${name}/`);
  const database = await createTestDatabase(infra.databaseUrl, prefix);
  const pool = createPool(database.url, { max: 4 });
  await migrate(pool);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: name, logger: silentLogger });
  await ensureIotTopics(kafka, topics, partitions);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  const registry = createDeviceRegistry(pool);
  const instances: HubInstance[] = [];

  async function startInstance(options: InstanceOptions = {}): Promise<HubInstance> {
    const metricsRegistry = createServiceRegistry('iot-hub-test', { defaultMetrics: false });
    const metrics = createPipelineMetrics(metricsRegistry);
    const hubMetrics = createHubMetrics(metricsRegistry);
    const producer: TypedProducer = await createProducer(kafka, { metrics, lingerMs: 2 });
    const hub = await startHub(
      {
        producer: options.wrapProducer?.(producer) ?? producer,
        registry,
        topics,
        metrics,
        hubMetrics,
        onError: options.onError ?? (() => undefined),
      },
      {
        ...(options.mqtt === false
          ? {}
          : {
              mqtt: {
                url: infra.mqttUrl,
                topics: mqttTopics,
                shareGroup: 'hub',
                clientId: uniqueName('hub'),
                maxInFlight: options.maxInFlight ?? 500,
              },
            }),
        deviceCache: { ttlMs: 200 },
        lastSeenFlushMs: 100,
      },
    );
    const app = await buildHubApp(
      { registry, cache: hub.cache, ingest: hub.ingest, metricsRegistry, checks: {} },
      { adminKey: options.adminKey ?? testAdminKey, bodyLimitBytes: 64 * 1024, maxLinesPerRequest: 100 },
    );
    let stopped: Promise<void> | undefined;
    const instance: HubInstance = {
      hub,
      app,
      metrics: metricsRegistry,
      async metric(metricName, labels) {
        const metric = await metricsRegistry.getSingleMetric(metricName)?.get();
        const sample = metric?.values.find((v) =>
          Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value),
        );
        return sample?.value ?? 0;
      },
      stop() {
        stopped ??= (async () => {
          await app.close();
          await hub.stop();
          await producer.disconnect();
        })();
        return stopped;
      },
    };
    instances.push(instance);
    return instance;
  }

  return {
    name,
    mqttUrl: infra.mqttUrl,
    topics,
    mqttTopics,
    kafka,
    admin,
    pool,
    registry,
    startInstance,
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      await admin
        .deleteTopics([
          topics.telemetry.name,
          `${topics.telemetry.name}.dlq`,
          topics.alerts.name,
          `${topics.alerts.name}.dlq`,
        ])
        .catch(() => undefined);
      await admin.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

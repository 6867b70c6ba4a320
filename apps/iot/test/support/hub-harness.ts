// Real hubs (real Mosquitto, Kafka and Postgres), started as in production from the hub's service
// definition, on topics, MQTT prefix and database of their own.
import { secretOrDemoDefault } from '@streamkit/demo';
import { createAdmin, createKafka } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import {
  createKafkaTestAdmin,
  createTestDatabase,
  type KafkaTestAdmin,
  type TestDatabase,
  uniqueName,
} from '@streamkit/testkit';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { inject } from 'vitest';
import { type IotMqttTopics, iotMqttTopics } from '../../src/common/mqtt-topics.ts';
import { type IotTopics, iotTopicSpecs, iotTopics } from '../../src/common/topics.ts';
import { migrate } from '../../src/db/migrate.ts';
import { demoHubAdminKey } from '../../src/demo.ts';
import { createDeviceRegistry, type DeviceRegistry } from '../../src/hub/device-registry.ts';
import type { Hub } from '../../src/hub/hub.ts';
import { defineHubService, type HubServiceSeams } from '../../src/hub/service.ts';
import { iotServiceEnv } from './service-env.ts';

export const testAdminKey = 'test-hub-admin-key-0123456789';

/** The key `pnpm loadgen iot` sends (HUB_ADMIN_KEY, else the demo's): a hub the scenario drives takes it. */
export function loadgenAdminKey(): string {
  return secretOrDemoDefault('HUB_ADMIN_KEY', demoHubAdminKey);
}

export interface HubInstance {
  readonly hub: Hub;
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> the instance listens on. */
  readonly address: string;
  readonly metrics: Registry;
  /** The value of a counter/gauge sample, e.g. ('iot_hub_readings_total', {channel:'mqtt', outcome:'accepted'}). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export interface InstanceOptions extends HubServiceSeams {
  /** Default: testAdminKey. */
  readonly adminKey?: string;
  /** Settings over the harness's own (e.g. HUB_DEVICE_CACHE_TTL_MS). */
  readonly env?: Record<string, string>;
}

export interface HubHarness {
  readonly name: string;
  readonly mqttUrl: string;
  readonly topics: IotTopics;
  readonly mqttTopics: IotMqttTopics;
  readonly database: TestDatabase;
  readonly admin: KafkaTestAdmin;
  readonly pool: Pool;
  readonly registry: DeviceRegistry;
  /** Starts one hub replica (MQTT bridge in the harness's share group + HTTP app on a free port). */
  startInstance(options?: InstanceOptions): Promise<HubInstance>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Another broker than the shared one (e.g. a private Mosquitto with authentication). */
  readonly mqttUrl?: string;
}

export async function createHubHarness(
  prefix: string,
  partitions = 3,
  options: HarnessOptions = {},
): Promise<HubHarness> {
  const infra = inject('infrastructure');
  const mqttUrl = options.mqttUrl ?? infra.mqttUrl;
  const name = uniqueName(prefix);
  const topics = iotTopics(`${name}.`);
  const mqttTopics = iotMqttTopics(`${name}/`);
  const database = await createTestDatabase(infra.databaseUrl, prefix);
  const pool = createPool(database.url, { max: 4 });
  // tests register devices before the first hub starts (the hub applies the same migrations again)
  await migrate(pool);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  const registry = createDeviceRegistry(pool);
  const env = { ...iotServiceEnv(infra, name, database.url, undefined, partitions), MQTT_URL: mqttUrl };
  const instances: HubInstance[] = [];

  async function startInstance(options: InstanceOptions = {}): Promise<HubInstance> {
    const { adminKey = testAdminKey, env: extraEnv = {}, ...seams } = options;
    const service = await startService(defineHubService(seams), {
      env: {
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        HUB_ADMIN_KEY: adminKey,
        HUB_SHARE_GROUP: 'hub',
        INSTANCE_ID: uniqueName('hub'),
        HUB_MQTT_MAX_IN_FLIGHT: '500',
        HUB_DEVICE_CACHE_TTL_MS: '200',
        HUB_LAST_SEEN_FLUSH_MS: '100',
        HUB_BODY_LIMIT_BYTES: String(64 * 1024),
        HUB_MAX_LINES: '100',
        HUB_PRODUCER_LINGER_MS: '2',
        ...extraEnv,
      },
      logger: silentLogger,
    });
    const parts = started(service);
    const instance: HubInstance = {
      hub: parts.hub,
      app: parts.app,
      address: service.address,
      metrics: parts.registry,
      async metric(metricName, labels) {
        const metric = await parts.registry.getSingleMetric(metricName)?.get();
        const sample = metric?.values.find((v) =>
          Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value),
        );
        return sample?.value ?? 0;
      },
      stop: () => service.stop(),
    };
    instances.push(instance);
    return instance;
  }

  return {
    name,
    mqttUrl,
    topics,
    mqttTopics,
    database,
    admin,
    pool,
    registry,
    startInstance,
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      // the services create only the topics they use: delete those that exist (a missing one is retried)
      const kafkaAdmin = await createAdmin(
        createKafka({ brokers: infra.kafkaBrokers, clientId: name, logger: silentLogger }),
      );
      const existing = new Set(await kafkaAdmin.listTopics());
      await kafkaAdmin.disconnect();
      const owned = iotTopicSpecs(topics, partitions).flatMap(({ topic }) => [topic, `${topic}.dlq`]);
      await admin.deleteTopics(owned.filter((t) => existing.has(t))).catch(() => undefined);
      await admin.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

function started<P>(service: RunningService<unknown, P>): P & { readonly app: FastifyInstance } {
  if (service.parts === undefined || service.app === undefined)
    throw new Error(`${service.name} started without its app or parts`);
  return { ...service.parts, app: service.app };
}

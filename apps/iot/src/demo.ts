// `pnpm demo iot`: the whole IoT pipeline as local processes (registered in package.json).
import { fileURLToPath } from 'node:url';
import type { DemoInfrastructure, DemoPipeline, DemoService } from '@streamkit/demo';
import { appService, localUrl as local, secretOrDemoDefault } from '@streamkit/demo';
import { createKafka, ensureTopics } from '@streamkit/kafka';
import { withPool } from '@streamkit/postgres';
import { serviceCommand, silentLogger } from '@streamkit/runtime';
import { nodeFlags } from './common/node-flags.ts';
import { iotTopicSpecs, iotTopics } from './common/topics.ts';
import { migrate } from './db/migrate.ts';
import { demoDelivery, demoFleet } from './quality/demo-fleet.ts';

/**
 * The admin key the demo gives the hub unless HUB_ADMIN_KEY is set, so the demo, the simulator,
 * `pnpm loadgen iot` and the README's curl examples agree. Development only.
 */
export const demoHubAdminKey = 'demo-hub-admin-key-change-me';
/** The analytics API key of the demo unless ANALYTICS_API_KEY is set (programs; the page uses a session). */
export const demoAnalyticsApiKey = 'demo-analytics-key-change-me';
/** The analytics SQL endpoint's key in the demo unless ANALYTICS_SQL_KEY is set. Development only. */
export const demoAnalyticsSqlKey = 'demo-analytics-sql-key-change-me';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const ports = { hub: 8091, analytics: 8092, processor: 9103, devices: 9104 } as const;
const TELEMETRY_PARTITIONS = 6;

const analyticsSqlKey = () => secretOrDemoDefault('ANALYTICS_SQL_KEY', demoAnalyticsSqlKey);
const hubAdminKey = () => secretOrDemoDefault('HUB_ADMIN_KEY', demoHubAdminKey);
const analyticsApiKey = () => secretOrDemoDefault('ANALYTICS_API_KEY', demoAnalyticsApiKey);

/**
 * One of the pipeline's services answering /health on `port` (its `env` says where it listens), as
 * the demo and `pnpm chaos iot` start it.
 */
export function pipelineService(
  name: keyof typeof ports,
  port: number,
  extra: { env: () => Record<string, string>; url?: string; readyTimeoutMs: number },
): DemoService {
  return appService({
    name,
    command: serviceCommand(nodeFlags[name], `src/${name}/main.ts`),
    cwd: appDir,
    port,
    env: () => ({
      OTEL_SERVICE_NAME: `iot-${name}`,
      TELEMETRY_PARTITIONS: String(TELEMETRY_PARTITIONS),
      ...extra.env(),
    }),
    url: extra.url,
    readyTimeoutMs: extra.readyTimeoutMs,
  });
}

const service = (name: keyof typeof ports, extra: { env: Record<string, string>; url: string }) =>
  pipelineService(name, ports[name], {
    env: () => ({ LAKE_DIR: `${appDir}data/lake`, ...extra.env }),
    url: extra.url,
    readyTimeoutMs: 90_000,
  });

/** Migrations and topics (with KAFKA_TOPIC_PREFIX's `topicPrefix`); `pnpm bench iot` runs it too. */
export async function preparePipeline(
  infra: DemoInfrastructure,
  topicPrefix = '',
  partitions = TELEMETRY_PARTITIONS,
): Promise<void> {
  await withPool(infra.databaseUrl, { max: 1 }, migrate);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'iot-demo', logger: silentLogger });
  await ensureTopics(kafka, iotTopicSpecs(iotTopics(topicPrefix), partitions));
}

export default {
  name: 'iot',
  description:
    'devices → MQTT hub → Kafka → micro-batch processor → Parquet lake → DuckDB analytics + live dashboard',
  needs: ['kafka', 'postgres', 'mqtt'],
  prepare: (infra) => preparePipeline(infra),
  services: [
    service('hub', {
      env: { PORT: String(ports.hub), HOST: '127.0.0.1', HUB_ADMIN_KEY: hubAdminKey() },
      url: local(ports.hub, '/devices'),
    }),
    service('processor', {
      env: { METRICS_PORT: String(ports.processor), PROCESSOR_TRIGGER_INTERVAL_MS: '2000' },
      url: local(ports.processor, '/metrics'),
    }),
    service('analytics', {
      env: {
        ANALYTICS_PORT: String(ports.analytics),
        ANALYTICS_HOST: '127.0.0.1',
        ANALYTICS_API_KEY: analyticsApiKey(),
        ANALYTICS_SQL_KEY: analyticsSqlKey(),
      },
      url: local(ports.analytics, '/'),
    }),
    service('devices', {
      env: {
        METRICS_PORT: String(ports.devices),
        HUB_URL: local(ports.hub),
        HUB_ADMIN_KEY: hubAdminKey(),
        // 200 devices every 2 s: 100 readings/s, a fault now and then, a few late readings — the
        // fleet `pnpm --filter @streamkit/iot quality` scores the anomaly detector on
        DEVICE_COUNT: String(demoFleet.deviceCount),
        SIM_SEED: String(demoFleet.seed),
        SIM_INTERVAL_MS: String(demoFleet.intervalMs),
        SIM_FAULT_RATE: String(demoFleet.faultRate),
        SIM_TICKS_PER_SLOT: String(demoFleet.ticksPerSlot),
        SIM_LATE_FRACTION: String(demoDelivery.lateFraction),
        SIM_MAX_LATENESS_MS: String(demoDelivery.maxLatenessMs),
      },
      url: local(ports.devices, '/metrics'),
    }),
  ],
} satisfies DemoPipeline;

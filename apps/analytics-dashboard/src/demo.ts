// `pnpm demo dashboard`: the whole analytics pipeline as local processes (registered in package.json).
import { fileURLToPath } from 'node:url';
import type { DemoInfrastructure, DemoPipeline, DemoService } from '@streamkit/demo';
import { appService, listenEnv, localUrl as local, secretOrDemoDefault } from '@streamkit/demo';
import { createKafka, ensureTopics } from '@streamkit/kafka';
import { serviceCommand, silentLogger } from '@streamkit/runtime';
import { nodeFlags } from './common/node-flags.ts';
import { dashboardTopicSpecs, dashboardTopics } from './common/topics.ts';
import { migrateViews } from './views/migrate-views.ts';

/**
 * The API key the demo gives the shipper unless SHIPPER_API_KEY is set, so the demo,
 * `pnpm loadgen dashboard --via http` and the README's curl examples agree. Development only.
 */
export const demoShipperApiKey = 'demo-shipper-key-change-me';
/** The dashboard API's key in the demo unless DASHBOARD_API_KEY is set (programs; the page uses a session). */
export const demoDashboardApiKey = 'demo-dashboard-key-change-me';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${appDir}.data/demo`;
/** What the demo's log generator writes, and the shipper tails. */
export const demoAccessLog = `${dataDir}/access.log`;
/** A second tailed file, for `pnpm loadgen dashboard` (so its lines never interleave with loggen's). */
export const demoLoadgenFile = `${dataDir}/loadgen.log`;

const ports = { shipper: 8093, dashboard: 8094, loggen: 9131, sink: 9132 } as const;

const shipperKey = () => secretOrDemoDefault('SHIPPER_API_KEY', demoShipperApiKey);

/** The dashboard API key the demo, `pnpm loadgen dashboard` and the README's examples agree on. */
export const dashboardKey = () => secretOrDemoDefault('DASHBOARD_API_KEY', demoDashboardApiKey);

/** One of the pipeline's services listening on `port`, as the demo and `pnpm chaos dashboard` start it. */
export function pipelineService(
  name: keyof typeof ports,
  port: number,
  extra: { env?: () => Record<string, string>; url?: string; readyTimeoutMs: number },
): DemoService {
  return appService({
    name,
    command: serviceCommand(nodeFlags[name], `src/${name}/main.ts`),
    cwd: appDir,
    port,
    env: () => ({
      // the compose service names: dashboard-sink, dashboard-web, dashboard-shipper
      OTEL_SERVICE_NAME: name === 'dashboard' ? 'dashboard-web' : `dashboard-${name}`,
      ...listenEnv(port, name === 'shipper' || name === 'dashboard' ? 'http' : 'metrics'),
      ...extra.env?.(),
    }),
    url: extra.url,
    readyTimeoutMs: extra.readyTimeoutMs,
  });
}

const service = (name: keyof typeof ports, extra: { env?: Record<string, string>; url: string }) =>
  pipelineService(name, ports[name], {
    env: () => ({ ...extra.env }),
    url: extra.url,
    readyTimeoutMs: 90_000,
  });

/** Topics (with KAFKA_TOPIC_PREFIX's `topicPrefix`) and the views; `pnpm bench dashboard` runs it too. */
export async function preparePipeline(infra: DemoInfrastructure, topicPrefix = ''): Promise<void> {
  const topics = dashboardTopics(topicPrefix);
  const kafka = createKafka({
    brokers: infra.kafkaBrokers,
    clientId: 'dashboard-demo',
    logger: silentLogger,
  });
  await ensureTopics(kafka, [dashboardTopicSpecs(topics, 3).logs]);
  await migrateViews({
    engine: 'postgres',
    url: infra.databaseUrl,
    logsTopic: topics.logs.name,
    kafkaBootstrap: infra.kafkaBrokers.join(','),
  });
}

export default {
  name: 'dashboard',
  description: 'access logs → log shipper → Kafka → incremental SQL views (PostgreSQL) → live dashboard',
  needs: ['kafka', 'postgres'],
  prepare: (infra) => preparePipeline(infra),
  services: [
    service('sink', { url: local(ports.sink, '/metrics') }),
    service('dashboard', { url: local(ports.dashboard, '/'), env: { DASHBOARD_API_KEY: dashboardKey() } }),
    service('shipper', {
      url: local(ports.shipper, '/metrics'),
      env: {
        SHIPPER_API_KEY: shipperKey(),
        SHIPPER_FILES: `${demoAccessLog},${demoLoadgenFile}`,
        SHIPPER_CHECKPOINT_FILE: `${dataDir}/shipper-checkpoints.json`,
        SHIPPER_LOG_HOST: 'web-demo.shop.example',
      },
    }),
    service('loggen', {
      url: local(ports.loggen, '/metrics'),
      env: { LOGGEN_FILE: demoAccessLog, LOGGEN_RATE: '200', LOGGEN_ROTATE_BYTES: String(5 * 1024 * 1024) },
    }),
  ],
} satisfies DemoPipeline;

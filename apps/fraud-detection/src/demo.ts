// `pnpm demo fraud`: the whole fraud pipeline as local processes (registered in package.json).
import { fileURLToPath } from 'node:url';
import { env, loadConfig, processEnvironment } from '@streamkit/config';
import type { DemoInfrastructure, DemoPipeline, DemoService } from '@streamkit/demo';
import { createKafka, ensureTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { serviceCommand, silentLogger } from '@streamkit/runtime';
import { nodeFlags } from './common/node-flags.ts';
import { fraudTopicSpecs, fraudTopics } from './common/topics.ts';
import { migrate } from './db/migrate.ts';
import { trainerConfigSpec } from './trainer/config.ts';
import { describeModel, ensureModel } from './trainer/ensure-model.ts';

/**
 * API keys the demo gives its services unless GATEWAY_API_KEY / ALERTS_API_KEY are set, so the
 * demo, `pnpm loadgen fraud` and the README's curl examples agree. Development only.
 */
export const demoGatewayApiKey = 'demo-gateway-key-change-me';
export const demoAlertsApiKey = 'demo-alerts-key-change-me';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const ports = { gateway: 8080, alerts: 8090, detector: 9101, generator: 9102 } as const;
const local = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;

function demoKeys() {
  const config = loadConfig({
    gatewayApiKey: env.secret('GATEWAY_API_KEY', { optional: true }),
    alertsApiKey: env.secret('ALERTS_API_KEY', { optional: true }),
  });
  return {
    GATEWAY_API_KEY: config.gatewayApiKey ?? demoGatewayApiKey,
    ALERTS_API_KEY: config.alertsApiKey ?? demoAlertsApiKey,
  };
}

function service(
  name: keyof typeof ports,
  extra: { env?: Record<string, string>; args?: readonly string[]; url?: string } = {},
): DemoService {
  const port = ports[name];
  const isHttpService = name === 'gateway' || name === 'alerts';
  return {
    name,
    command: serviceCommand(nodeFlags[name], `src/${name}/main.ts`, extra.args),
    cwd: appDir,
    env: () => ({
      ...demoKeys(),
      OTEL_SERVICE_NAME: `fraud-${name}`,
      ...(isHttpService ? { PORT: String(port), HOST: '127.0.0.1' } : { METRICS_PORT: String(port) }),
      ...extra.env,
    }),
    ...(extra.url === undefined ? {} : { url: extra.url }),
    ready: { http: local(port, '/health') },
    readyTimeoutMs: 90_000,
  };
}

/** Migrations and topics (with KAFKA_TOPIC_PREFIX's `topicPrefix`); `pnpm bench fraud` runs it too. */
export async function preparePipeline(infra: DemoInfrastructure, topicPrefix = ''): Promise<void> {
  const pool = createPool(infra.databaseUrl, { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'fraud-demo', logger: silentLogger });
  await ensureTopics(kafka, fraudTopicSpecs(fraudTopics(topicPrefix), 3));
}

/**
 * The demo decides with a trained model from its first payment: without an active one, the
 * generator's labelled history is written and the trainer runs (≈ 10 s) before the detector starts.
 */
async function prepareWithModel(infra: DemoInfrastructure): Promise<void> {
  await preparePipeline(infra);
  const pool = createPool(infra.databaseUrl, { max: 3 });
  const log = (line: string) => console.log(`fraud model: ${line}`);
  try {
    // the trainer's own settings (TRAIN_* from the environment), on the demo's database
    const training = loadConfig(trainerConfigSpec, processEnvironment({ DATABASE_URL: infra.databaseUrl }));
    const started = performance.now();
    const { model, trained } = await ensureModel(pool, training, log);
    const took = `${trained ? 'trained' : 'found'} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    log(`in use from the first payment (${took}): ${describeModel(model)}`);
  } finally {
    await pool.end();
  }
  console.log(
    `fraud model: see it in use in each decision's "modelVersion" (curl 'localhost:${ports.gateway}/payments/<id>?waitMs=5000' -H 'x-api-key: …'), as "Model" in an alert's details on the console (http://127.0.0.1:${ports.alerts}/) and in fraud_detector_model_active{version} on http://127.0.0.1:${ports.detector}/metrics`,
  );
}

export default {
  name: 'fraud',
  description: 'payment gateway → Kafka → CEP + rules + ML detector → alerts, with live generated payments',
  needs: ['kafka', 'postgres', 'redis'],
  prepare: prepareWithModel,
  services: [
    service('detector', { url: local(ports.detector, '/metrics') }),
    service('alerts', { url: local(ports.alerts, '/'), env: { ALERTS_CONSOLE_OPEN: 'true' } }),
    service('gateway', { url: local(ports.gateway, '/metrics') }),
    service('generator', {
      args: ['live', '--rate', '20'],
      env: { GATEWAY_URL: local(ports.gateway) },
      url: local(ports.generator, '/metrics'),
    }),
  ],
} satisfies DemoPipeline;

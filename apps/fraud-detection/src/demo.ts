// `pnpm demo fraud`: the whole fraud pipeline as local processes (registered in package.json).
import { fileURLToPath } from 'node:url';
import { env, loadConfig } from '@streamkit/config';
import type { DemoInfrastructure, DemoPipeline, DemoService } from '@streamkit/demo';
import { appService, listenEnv, localUrl as local, secretOrDemoDefault } from '@streamkit/demo';
import { createKafka, ensureTopics } from '@streamkit/kafka';
import { withPool } from '@streamkit/postgres';
import { serviceCommand, silentLogger } from '@streamkit/runtime';
import { nodeFlags } from './common/node-flags.ts';
import { fraudTopicSpecs, fraudTopics } from './common/topics.ts';
import { migrate } from './db/migrate.ts';

/**
 * API keys the demo gives its services unless GATEWAY_API_KEY / ALERTS_API_KEY are set, so the
 * demo, `pnpm loadgen fraud` and the README's curl examples agree. Development only.
 */
export const demoGatewayApiKey = 'demo-gateway-key-change-me';
export const demoAlertsApiKey = 'demo-alerts-key-change-me';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const ports = { gateway: 8080, alerts: 8090, detector: 9101, generator: 9102 } as const;

const demoKeys = () => ({
  GATEWAY_API_KEY: secretOrDemoDefault('GATEWAY_API_KEY', demoGatewayApiKey),
  ALERTS_API_KEY: secretOrDemoDefault('ALERTS_API_KEY', demoAlertsApiKey),
});

/** One of the pipeline's services listening on `port`, as the demo and `pnpm chaos fraud` start it. */
export function pipelineService(
  name: keyof typeof ports,
  port: number,
  extra: {
    env: () => Record<string, string>;
    args?: readonly string[];
    url?: string;
    readyTimeoutMs: number;
  },
): DemoService {
  return appService({
    name,
    command: serviceCommand(nodeFlags[name], `src/${name}/main.ts`, extra.args),
    cwd: appDir,
    port,
    env: () => ({
      OTEL_SERVICE_NAME: `fraud-${name}`,
      ...listenEnv(port, name === 'gateway' || name === 'alerts' ? 'http' : 'metrics'),
      ...extra.env(),
    }),
    url: extra.url,
    readyTimeoutMs: extra.readyTimeoutMs,
  });
}

const service = (
  name: keyof typeof ports,
  extra: { env?: Record<string, string>; args?: readonly string[]; url: string },
) =>
  pipelineService(name, ports[name], {
    ...extra,
    env: () => ({ ...demoKeys(), ...extra.env }),
    readyTimeoutMs: 90_000,
  });

/** Migrations and topics (with KAFKA_TOPIC_PREFIX's `topicPrefix`); `pnpm bench fraud` runs it too. */
export async function preparePipeline(infra: DemoInfrastructure, topicPrefix = ''): Promise<void> {
  await withPool(infra.databaseUrl, { max: 1 }, migrate);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'fraud-demo', logger: silentLogger });
  await ensureTopics(kafka, fraudTopicSpecs(fraudTopics(topicPrefix), 3));
}

/**
 * A trained model from the first payment: the trainer with --if-missing (compose's
 * fraud-model-init, src/trainer/ensure-model.ts) runs to completion before the detector starts.
 * Without an active model it writes the generator's labelled history and trains one (≈ 10 s), with
 * one it names it and exits. The trainer's own settings (TRAIN_*) come from the environment.
 */
const modelInit: DemoService = {
  name: 'model-init',
  command: serviceCommand([], 'src/trainer/main.ts', ['--if-missing']),
  cwd: appDir,
  env: () => ({ OTEL_SERVICE_NAME: 'fraud-model-init', METRICS_PORT: '0' }),
  ready: { completes: true },
  // generation and training take ≈ 10 s on a quiet machine, several times that on a loaded one
  readyTimeoutMs: 300_000,
};

/** Where to see the model at work, printed once the demo is ready. */
function modelNotes(): string[] {
  const configured = loadConfig({ gatewayApiKey: env.secret('GATEWAY_API_KEY', { optional: true }) });
  const key = configured.gatewayApiKey === undefined ? demoGatewayApiKey : '<your GATEWAY_API_KEY>';
  const paymentId = `p-demo-${Date.now()}`;
  const payment = JSON.stringify({
    paymentId,
    cardId: 'c-demo',
    accountId: 'a-demo',
    merchantId: 'm-demo',
    mcc: '5411',
    amount: 2450,
    currency: 'EUR',
    country: 'DE',
    ts: new Date().toISOString(),
  });
  const gateway = local(ports.gateway);
  return [
    `fraud model: every decision names it in "modelVersion" ("none" would be rules alone); try: curl -s -XPOST ${gateway}/payments -H 'x-api-key: ${key}' -H 'content-type: application/json' -d '${payment}'; curl -s '${gateway}/payments/${paymentId}?waitMs=5000' -H 'x-api-key: ${key}'`,
    `fraud model: also "Model" in an alert's details on the console ${local(ports.alerts, '/')}, and fraud_detector_model_active{version} on ${local(ports.detector, '/metrics')}`,
  ];
}

export default {
  name: 'fraud',
  description: 'payment gateway → Kafka → CEP + rules + ML detector → alerts, with live generated payments',
  needs: ['kafka', 'postgres', 'redis'],
  prepare: (infra) => preparePipeline(infra),
  readyNotes: modelNotes(),
  services: [
    modelInit,
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

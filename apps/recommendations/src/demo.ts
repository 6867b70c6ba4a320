// `pnpm demo recommendations`: the whole recommendations pipeline as local processes (registered in package.json).
import { fileURLToPath } from 'node:url';
import type { DemoInfrastructure, DemoPipeline, DemoService } from '@streamkit/demo';
import { appService, listenEnv, localUrl as local, secretOrDemoDefault } from '@streamkit/demo';
import { createKafka, ensureTopics } from '@streamkit/kafka';
import { withPool } from '@streamkit/postgres';
import { serviceCommand, silentLogger } from '@streamkit/runtime';
import { seedCatalog } from './catalog/index.ts';
import { nodeFlags } from './common/node-flags.ts';
import { recsTopicSpecs, recsTopics } from './common/topics.ts';
import { migrate } from './db/migrate.ts';

/**
 * Secrets the demo gives the web service unless WEB_SESSION_SECRET / WEB_EVENTS_API_KEY are set, so
 * the demo, `pnpm loadgen recs-freshness` and the README's curl examples agree. Development only.
 */
export const demoSessionSecret = 'demo-session-secret-change-me-0123456789';
export const demoEventsApiKey = 'demo-events-key-change-me';

/** The seeded catalog: the issue asks for at least 10,000 products in categories. */
// seed 42 is the generator's default (GENERATOR_SEED), so its shoppers and this catalog agree
export const demoCatalog = { seed: 42, products: 10_000 } as const;
const partitions = 3;

const appDir = fileURLToPath(new URL('..', import.meta.url));
const ports = { web: 8070, features: 9111, recommender: 9112, shoppers: 9113 } as const;

const demoSecrets = () => ({
  WEB_SESSION_SECRET: secretOrDemoDefault('WEB_SESSION_SECRET', demoSessionSecret),
  WEB_EVENTS_API_KEY: secretOrDemoDefault('WEB_EVENTS_API_KEY', demoEventsApiKey),
});

type PipelineServiceName = 'web' | 'features' | 'recommender';

/** One of the pipeline's services listening on `port`, as the demo and `pnpm chaos recommendations` start it. */
export function pipelineService(
  name: PipelineServiceName,
  port: number,
  extra: { env: () => Record<string, string>; url?: string; readyTimeoutMs: number },
): DemoService {
  return appService({
    name,
    command: serviceCommand(nodeFlags[name], `src/${name}/main.ts`),
    cwd: appDir,
    port,
    env: () => ({
      OTEL_SERVICE_NAME: `recs-${name}`,
      ...listenEnv(port, name === 'web' ? 'http' : 'metrics'),
      ...extra.env(),
    }),
    url: extra.url,
    readyTimeoutMs: extra.readyTimeoutMs,
  });
}

const service = (name: PipelineServiceName, url: string) =>
  pipelineService(name, ports[name], {
    env: () => ({ ...demoSecrets(), EVENTS_PARTITIONS: String(partitions) }),
    url,
    readyTimeoutMs: 90_000,
  });

/**
 * Simulated shoppers (the generator's world and live stream) posting 20 events/s to the web
 * service with the trusted key: src/loadgen/shoppers-main.ts.
 */
const shoppers: DemoService = {
  name: 'shoppers',
  command: serviceCommand(nodeFlags.shoppers, 'src/loadgen/shoppers-main.ts'),
  cwd: appDir,
  env: () => ({
    ...demoSecrets(),
    OTEL_SERVICE_NAME: 'recs-shoppers',
    SHOPPERS_RATE: '20',
    GENERATOR_SEED: String(demoCatalog.seed),
    CATALOG_PRODUCTS: String(demoCatalog.products),
    WEB_URL: local(ports.web),
    METRICS_PORT: String(ports.shoppers),
  }),
  url: local(ports.shoppers, '/metrics'),
  ready: { http: local(ports.shoppers, '/health') },
  readyTimeoutMs: 60_000,
};

/** Migrations, the catalog and topics (with KAFKA_TOPIC_PREFIX's `topicPrefix`); `pnpm bench` runs it too. */
export async function preparePipeline(infra: DemoInfrastructure, topicPrefix = ''): Promise<void> {
  await withPool(infra.databaseUrl, { max: 2 }, async (pool) => {
    await migrate(pool);
    await seedCatalog(pool, demoCatalog);
  });
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'recs-demo', logger: silentLogger });
  await ensureTopics(kafka, [recsTopicSpecs(recsTopics(topicPrefix), partitions).events]);
}

/**
 * A trained model from the first request: the trainer with --if-missing (compose's recs-model-init,
 * src/trainer/ensure-model.ts) runs to completion before the features worker and the recommender
 * start. Without a stored model it writes a week of the shoppers' history (the demo's world: seed and
 * catalog) to the offline store and trains one (≈ 15 s); with one it names it and exits. The
 * trainer's own settings (TRAINER_*) come from the environment.
 */
const modelInit: DemoService = {
  name: 'model-init',
  command: serviceCommand([], 'src/trainer/main.ts', ['--if-missing']),
  cwd: appDir,
  env: () => ({
    OTEL_SERVICE_NAME: 'recs-model-init',
    GENERATOR_SEED: String(demoCatalog.seed),
    CATALOG_PRODUCTS: String(demoCatalog.products),
    METRICS_PORT: '0',
  }),
  ready: { completes: true },
  // simulation and training take ≈ 15 s on a quiet machine, several times that on a loaded one
  readyTimeoutMs: 300_000,
};

/** Where to see the model at work, printed once the demo is ready. */
const modelNotes = [
  `recommendations model: every answer names it in "modelVersion" ("default-0" would be the untrained fallback); try: curl -s ${local(ports.web, '/recommendations/u-000001')}`,
  `recommendations model: also in the recommender's "recommender ranking" log line; the offline quality bar: pnpm --filter @streamkit/recommendations quality`,
];

export default {
  name: 'recommendations',
  description:
    'storefront → Kafka → features (Redis + Postgres) → model → Redis cache → storefront, with live shoppers',
  needs: ['kafka', 'postgres', 'redis'],
  prepare: (infra) => preparePipeline(infra),
  readyNotes: modelNotes,
  services: [
    modelInit,
    service('features', local(ports.features, '/metrics')),
    service('recommender', local(ports.recommender, '/metrics')),
    service('web', local(ports.web, '/')),
    shoppers,
  ],
} satisfies DemoPipeline;

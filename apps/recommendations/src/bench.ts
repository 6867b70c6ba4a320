// `pnpm bench recommendations`: how the benchmark suite loads this pipeline (registered in package.json).
import type { BenchIsolation, BenchPlan } from '@streamkit/bench';
import type { DemoInfrastructure } from '@streamkit/demo';
import { createKafka, ensureTopics, silentLogger } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { seedCatalog } from './catalog/index.ts';
import { recsTopics } from './common/topics.ts';
import { migrate } from './db/migrate.ts';
import { demoCatalog } from './demo.ts';
import { eventsTopicSpecs } from './features/topic-specs.ts';

/** The demo's prepare (without the optional training), with the run's topic prefix. */
async function prepare(infra: DemoInfrastructure, isolation: BenchIsolation): Promise<void> {
  const pool = createPool(infra.databaseUrl, { max: 2 });
  try {
    await migrate(pool);
    await seedCatalog(pool, demoCatalog);
  } finally {
    await pool.end();
  }
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'recs-bench', logger: silentLogger });
  await ensureTopics(kafka, eventsTopicSpecs(recsTopics(isolation.topicPrefix), 3));
}

export default {
  pipeline: 'recommendations',
  // the demo's live `shoppers` are left out: the load is the scenarios' alone
  services: ['features', 'recommender', 'web'],
  env: (isolation) => ({
    KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
    REDIS_KEY_PREFIX: isolation.redisKeyPrefix,
  }),
  prepare,
  consumerGroups: (isolation) => [`${isolation.topicPrefix}recs-features`],
  scenarios: [
    {
      scenario: 'recs-serve',
      objective: { p99Ms: 10, text: 'p99 < 10 ms', target: 'recs serving p99 < 10 ms' },
      ramp: { startRate: 100, maxRate: 12_800 },
      // serving reads the cache only; the size is the view event's, for the baseline row
      messageBytes: 200,
      stateSize: { option: 'users', unit: 'users', values: [1_000, 100_000, 1_000_000] },
    },
    {
      scenario: 'recs-freshness',
      options: (isolation) => ({ 'key-prefix': isolation.redisKeyPrefix }),
      objective: { p99Ms: 250, text: 'p99 < 250 ms', target: 'recs freshness p99 < 250 ms' },
      ramp: { startRate: 25, maxRate: 3_200 },
      // a view event as JSON on the events topic
      messageBytes: 200,
    },
  ],
} satisfies BenchPlan;

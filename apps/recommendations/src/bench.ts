// `pnpm bench recommendations`: how the benchmark suite loads this pipeline (registered in package.json).
import type { BenchPlan } from '@streamkit/bench';
import { preparePipeline } from './demo.ts';

export default {
  pipeline: 'recommendations',
  // the demo's live `shoppers` are left out: the load is the scenarios' alone
  services: ['features', 'recommender', 'web'],
  env: (isolation) => ({
    KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
    REDIS_KEY_PREFIX: isolation.redisKeyPrefix,
  }),
  prepare: (infra, isolation) => preparePipeline(infra, isolation.topicPrefix),
  consumerGroups: (isolation) => [`${isolation.topicPrefix}recs-features`],
  scenarios: [
    {
      scenario: 'recs-serve',
      objective: { p99Ms: 10, text: 'p99 < 10 ms', target: 'recs serving p99 < 10 ms', targetRate: 5_000 },
      ramp: { startRate: 100, maxRate: 12_800 },
      ingress: 'http',
      // serving reads the cache only; the size is the view event's, for the baseline row
      messageBytes: 200,
      stateSize: { option: 'users', unit: 'users', values: [1_000, 100_000, 1_000_000] },
    },
    {
      scenario: 'recs-freshness',
      options: (isolation) => ({ 'key-prefix': isolation.redisKeyPrefix }),
      objective: {
        p99Ms: 250,
        text: 'p99 < 250 ms',
        target: 'recs freshness p99 < 250 ms',
        targetRate: 2_000,
      },
      ramp: { startRate: 25, maxRate: 3_200 },
      // each view is POSTed to the web service's /events
      ingress: 'http',
      // a view event as JSON on the events topic
      messageBytes: 200,
    },
  ],
} satisfies BenchPlan;

// `pnpm bench fraud`: how the benchmark suite loads this pipeline (registered in package.json).
import type { BenchPlan } from '@streamkit/bench';
import { preparePipeline } from './demo.ts';

export default {
  pipeline: 'fraud',
  // the demo's live `generator` is left out: the load is the scenario's alone
  services: ['detector', 'alerts', 'gateway'],
  env: (isolation) => ({
    KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
    REDIS_KEY_PREFIX: isolation.redisKeyPrefix,
    DETECTOR_GROUP_ID: `${isolation.topicPrefix}fraud-detector`,
  }),
  prepare: (infra, isolation) => preparePipeline(infra, isolation.topicPrefix),
  consumerGroups: (isolation) => [
    `${isolation.topicPrefix}fraud-detector`,
    `${isolation.topicPrefix}fraud-alerts`,
  ],
  scenarios: [
    {
      scenario: 'fraud',
      options: (isolation) => ({ 'topic-prefix': isolation.topicPrefix }),
      objective: {
        p99Ms: 100,
        text: 'p99 < 100 ms',
        target: 'fraud ≥ 2,000/s at p99 < 100 ms (issue #15)',
        targetRate: 2_000,
      },
      ramp: { startRate: 50, maxRate: 12_800 },
      // payments are POSTed to the gateway
      ingress: 'http',
      // a payment as JSON on payments.* is about 300 bytes
      messageBytes: 300,
      stateSize: { option: 'cards', unit: 'cards', values: [1_000, 100_000, 1_000_000] },
    },
  ],
  // the Kafka client comparison runs this pipeline's ramp with KAFKA_CLIENT=kafkajs and =platformatic
  clientComparison: true,
} satisfies BenchPlan;

// `pnpm bench dashboard`: how the benchmark suite loads this pipeline (registered in package.json).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchIsolation, BenchPlan } from '@streamkit/bench';
import { preparePipeline } from './demo.ts';

/** Each run tails its own file, so lines of the demo's loggen or earlier runs never count. */
const runDir = (isolation: BenchIsolation) =>
  join(tmpdir(), 'streamkit-bench', `${isolation.topicPrefix}dashboard`);
const tailedFile = (isolation: BenchIsolation) => join(runDir(isolation), 'loadgen.log');

export default {
  pipeline: 'dashboard',
  // the demo's live `loggen` is left out: the load is the scenario's alone
  services: ['sink', 'dashboard', 'shipper'],
  env: (isolation) => ({
    KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
    SHIPPER_FILES: tailedFile(isolation),
    SHIPPER_CHECKPOINT_FILE: join(runDir(isolation), 'shipper-checkpoints.json'),
  }),
  prepare: (infra, isolation) => preparePipeline(infra, isolation.topicPrefix),
  consumerGroups: (isolation) => [`${isolation.topicPrefix}dashboard-sink`],
  scenarios: [
    {
      scenario: 'dashboard',
      // line written to the tailed file → counted in the view the dashboard's API serves
      options: (isolation) => ({ via: 'file', file: tailedFile(isolation) }),
      objective: {
        p99Ms: 1_000,
        text: 'p99 < 1 s',
        target: 'dashboard freshness p99 < 1 s',
        targetRate: 15_000,
      },
      ramp: { startRate: 100, maxRate: 25_600 },
      // an access-log line as JSON on logs.http
      messageBytes: 250,
      // distinct routes = rows per minute in the views (the scenario allows at most 300)
      stateSize: { option: 'routes', unit: 'routes', values: [3, 30, 300] },
    },
  ],
} satisfies BenchPlan;

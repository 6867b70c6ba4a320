/**
 * @streamkit/bench: `pnpm bench` — max sustainable throughput, state-size curves, the Kafka
 * baseline and the Kafka client comparison for every pipeline with a bench plan.
 */
export { type BenchOutput, type BenchRequest, isolationFor, runBench } from './bench-run.ts';
export { discoverPlans, type PlanDiscovery } from './discovery.ts';
export { BenchError, BenchUsageError } from './errors.ts';
export type {
  BenchIsolation,
  BenchObjective,
  BenchPlan,
  BenchRamp,
  BenchScenario,
  BenchStateSize,
  ScenarioOptionValue,
} from './plan.ts';
export { defineBenchPlan } from './plan.ts';
export type { BenchResults } from './results.ts';
export { type BenchSettings, fullSettings, quickSettings } from './settings.ts';

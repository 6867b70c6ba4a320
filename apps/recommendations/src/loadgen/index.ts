// The recommendations pipeline's load-test scenarios, found by `pnpm loadgen` through package.json
// ("streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }).
import type { Scenario } from '@streamkit/loadgen';
import { recsFreshnessScenario } from './freshness-scenario.ts';
import { recsServeScenario } from './serve-scenario.ts';

export default [recsServeScenario, recsFreshnessScenario] as Scenario[];

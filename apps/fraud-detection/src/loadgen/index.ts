// The fraud pipeline's load-test scenarios, found by `pnpm loadgen` through package.json
// ("streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }).
import type { Scenario } from '@streamkit/loadgen';
import { fraudScenario } from './fraud-scenario.ts';

export default [fraudScenario] as Scenario[];

// The dashboard pipeline's load-test scenarios, found by `pnpm loadgen` through package.json
// ("streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }).
import type { Scenario } from '@streamkit/loadgen';
import { dashboardScenario } from './dashboard-scenario.ts';

export default [dashboardScenario] as Scenario[];

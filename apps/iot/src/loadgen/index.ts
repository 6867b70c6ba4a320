// The IoT pipeline's load-test scenarios, found by `pnpm loadgen` through package.json
// ("streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }).
import type { Scenario } from '@streamkit/loadgen';
import { iotScenario } from './iot-scenario.ts';

export default [iotScenario] as Scenario[];

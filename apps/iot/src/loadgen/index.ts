// The IoT pipeline's load-test scenarios, found by `pnpm loadgen` through package.json
// ("streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }).
import type { Scenario } from '@streamkit/loadgen';
import { iotLakeScenario } from './iot-lake-scenario.ts';
import { iotScenario } from './iot-scenario.ts';

export default [iotScenario, iotLakeScenario] as Scenario[];

// Live simulated shoppers for the demo and compose: node --import @streamkit/telemetry/register src/loadgen/shoppers-main.ts
import { runService } from '@streamkit/runtime';
import { shoppersService } from './shoppers-service.ts';

await runService(shoppersService);

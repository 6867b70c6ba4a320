// The payment gateway process: node --import @streamkit/telemetry/register src/gateway/main.ts
import { runService } from '@streamkit/runtime';
import { gatewayService } from './service.ts';

await runService(gatewayService);

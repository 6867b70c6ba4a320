// Process entry of the IoT hub: node --import @streamkit/telemetry/register src/hub/main.ts
import { runService } from '@streamkit/runtime';
import { hubService } from './service.ts';

await runService(hubService);

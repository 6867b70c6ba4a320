// Process entry of the log generator: node --import @streamkit/telemetry/register src/loggen/main.ts
import { runService } from '@streamkit/runtime';
import { loggenService } from './service.ts';

await runService(loggenService);

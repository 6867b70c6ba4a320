// The alert service process: node --import @streamkit/telemetry/register src/alerts/main.ts
import { runService } from '@streamkit/runtime';
import { alertsService } from './service.ts';

await runService(alertsService);

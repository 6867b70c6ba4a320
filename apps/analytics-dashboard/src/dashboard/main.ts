// Process entry of the dashboard: node --import @streamkit/telemetry/register src/dashboard/main.ts
import { runService } from '@streamkit/runtime';
import { dashboardService } from './service.ts';

await runService(dashboardService);

// The analytics service: node --import @streamkit/telemetry/register src/analytics/main.ts
import { runService } from '@streamkit/runtime';
import { analyticsService } from './service.ts';

await runService(analyticsService);

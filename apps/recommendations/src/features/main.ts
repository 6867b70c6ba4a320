// The features worker process: node --import @streamkit/telemetry/register src/features/main.ts
import { runService } from '@streamkit/runtime';
import { featuresService } from './service.ts';

await runService(featuresService);

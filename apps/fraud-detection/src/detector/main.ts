// The detector process: node --import @streamkit/telemetry/register src/detector/main.ts
import { runService } from '@streamkit/runtime';
import { detectorService } from './service.ts';

await runService(detectorService);

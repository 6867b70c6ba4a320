// The processor process: node --import @streamkit/telemetry/register src/processor/main.ts
import { runService } from '@streamkit/runtime';
import { processorService } from './service.ts';

await runService(processorService);

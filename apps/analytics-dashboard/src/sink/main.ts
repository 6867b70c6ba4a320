// Process entry of the PostgreSQL views sink (VIEWS_ENGINE=postgres):
// node --import @streamkit/telemetry/register src/sink/main.ts
import { runService } from '@streamkit/runtime';
import { sinkService } from './service.ts';

await runService(sinkService);

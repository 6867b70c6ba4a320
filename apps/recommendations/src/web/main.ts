// The storefront web service process: node --import @streamkit/telemetry/register src/web/main.ts
import { runService } from '@streamkit/runtime';
import { webService } from './service.ts';

await runService(webService);

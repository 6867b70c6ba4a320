// Process entry of the log shipper: node --import @streamkit/telemetry/register src/shipper/main.ts
import { runService } from '@streamkit/runtime';
import { shipperService } from './service.ts';

await runService(shipperService);

// Process entry of the device simulator: node src/devices/main.ts (runs until SIGTERM, or SIM_TICKS ticks)
import { runService } from '@streamkit/runtime';
import { devicesService } from './service.ts';

await runService(devicesService);

// `pnpm --filter @streamkit/iot backfill --readings 1000000 [--devices 1000]`: generated readings
// through Kafka → processor → lake, checked against a reference computed from the input.
import { parseArgs } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { runService } from '@streamkit/runtime';
import { backfillService } from './service.ts';

// the options are BACKFILL_READINGS and BACKFILL_DEVICES given on the command line
const { values } = parseArgs({ options: { readings: { type: 'string' }, devices: { type: 'string' } } });
await runService(backfillService, {
  env: processEnvironment({
    ...(values.readings === undefined ? {} : { BACKFILL_READINGS: values.readings }),
    ...(values.devices === undefined ? {} : { BACKFILL_DEVICES: values.devices }),
  }),
});

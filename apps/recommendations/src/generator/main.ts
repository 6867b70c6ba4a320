// The shopper generator job: `node src/generator/main.ts` (GENERATOR_MODE=history|live, see README.md).
import { runJob } from '@streamkit/runtime';
import { generatorJob } from './service.ts';

await runJob(generatorJob);

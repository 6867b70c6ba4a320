// The trainer job: `node src/trainer/main.ts` (see README.md). Exits 0 after storing a model, 1 on failure.
import { runJob } from '@streamkit/runtime';
import { trainerJob } from './service.ts';

await runJob(trainerJob);

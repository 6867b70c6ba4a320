// The trainer job: `node src/trainer/main.ts [--if-missing]` (see README.md). Exits 0 after storing a
// model (with --if-missing: once one is stored), 1 on failure.
import { parseArgs } from 'node:util';
import { runJob } from '@streamkit/runtime';
import { modelInitJob, trainerJob } from './service.ts';

const { values } = parseArgs({ options: { 'if-missing': { type: 'boolean', default: false } } });
if (values['if-missing']) await runJob(modelInitJob);
else await runJob(trainerJob);

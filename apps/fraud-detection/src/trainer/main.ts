// The trainer job: `node src/trainer/main.ts` (see README.md). Exits 0 after publishing, 1 on failure.
import { loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { describeError } from '@streamkit/runtime';
import { trainerConfigSpec } from './config.ts';
import { runTraining } from './run-training.ts';

const config = loadConfig(trainerConfigSpec);
const pool = createPool(config.databaseUrl, { max: 2 });
try {
  await runTraining(pool, config, (line) => console.log(line));
} catch (error) {
  console.error(`trainer failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

// The trainer job: `node src/trainer/main.ts` (see README.md). Exits 0 after storing a model, 1 on failure.
import { loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { migrate } from '../db/migrate.ts';
import { trainerEnv } from './config.ts';
import { runTraining } from './run-training.ts';

const config = loadConfig(trainerEnv);
const pool = createPool(config.databaseUrl, { max: 2 });
try {
  await migrate(pool);
  await runTraining(
    pool,
    {
      minEvents: config.minEvents,
      heldOutFraction: config.heldOutFraction,
      similarityTopK: config.similarityTopK,
      ...(config.version === undefined ? {} : { version: config.version }),
    },
    (line) => console.log(line),
  );
} catch (error) {
  console.error(`trainer failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

// `pnpm --filter @streamkit/analytics-dashboard migrate`: applies sql/migrations to DATABASE_URL.
import { loadConfig, postgresEnv } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { migrate } from './migrate.ts';

const config = loadConfig({ ...postgresEnv });
const pool = createPool(config.databaseUrl, { max: 1 });
try {
  const result = await migrate(pool);
  console.log(
    `migrations: ${result.applied.length} applied${result.applied.length ? ` (${result.applied.join(', ')})` : ''}, ${result.alreadyApplied.length} already applied`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await pool.end();
}

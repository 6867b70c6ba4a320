// `pnpm --filter @streamkit/fraud-detection migrate`: applies sql/migrations to DATABASE_URL.
import { loadConfig, postgresEnv } from '@streamkit/config';
import { runMigrateCommand } from '@streamkit/postgres';
import { migrate } from './migrate.ts';

process.exitCode = await runMigrateCommand(loadConfig({ ...postgresEnv }).databaseUrl, migrate);

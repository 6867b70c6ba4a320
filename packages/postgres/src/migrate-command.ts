import type { Pool } from 'pg';
import type { MigrationResult } from './migrate.ts';
import { createPool } from './pool.ts';

/**
 * The body of each pipeline's `migrate` command: applies its migrations to `databaseUrl`, prints
 * one line and returns the process exit code (1 with the failing migration's message).
 */
export async function runMigrateCommand(
  databaseUrl: string,
  apply: (pool: Pool) => Promise<MigrationResult>,
  print: (line: string) => void = console.log,
): Promise<number> {
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    const { applied, alreadyApplied } = await apply(pool);
    const names = applied.length > 0 ? ` (${applied.join(', ')})` : '';
    print(`migrations: ${applied.length} applied${names}, ${alreadyApplied.length} already applied`);
    return 0;
  } catch (error) {
    print((error as Error).message);
    return 1;
  } finally {
    await pool.end();
  }
}

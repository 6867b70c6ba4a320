// A test file's own database with the fraud migrations applied, for tests that need PostgreSQL only.
import { createPool } from '@streamkit/postgres';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import { useFileEnv } from '@streamkit/testkit/file-env';
import type pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';

export interface MigratedDatabase {
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** A fresh migrated database and a pool of `poolSize` on it, open for all the file's tests. */
export function useMigratedDatabase(prefix: string, poolSize: number): () => MigratedDatabase {
  return useFileEnv(async () => {
    const db = await createTestDatabase(inject('infrastructure').databaseUrl, prefix);
    const pool = createPool(db.url, { max: poolSize });
    const close = async () => {
      await pool.end();
      await db.drop();
    };
    await migrate(pool).catch(async (error: unknown) => {
      await close();
      throw error;
    });
    return { db, pool, close };
  });
}

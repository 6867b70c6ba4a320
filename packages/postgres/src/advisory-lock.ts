import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` while holding the session-level advisory lock `name` (hashed to a 32-bit key), on a
 * client of its own that `work` may use; other processes asking for the same name wait until it is
 * released. For start-up steps that must run once however many processes start at the same time
 * (migrations, training the first model). Released even when `work` throws; a process that dies
 * releases it with its connection.
 */
export async function withAdvisoryLock<T>(
  pool: Pool,
  name: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

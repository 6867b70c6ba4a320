import type { Pool, PoolClient } from 'pg';

export type LockedRun<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * Runs `work` on one connection of the pool while holding the session advisory lock `name`, or
 * returns `{acquired: false}` at once when another session holds it: replicas of a service that
 * all run the same periodic job (a prune) take turns instead of doing it at the same time. A
 * connection that dies releases its lock on the server side, so a crashed holder never blocks.
 */
export async function withAdvisoryLock<T>(
  pool: Pool,
  name: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<LockedRun<T>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)) as locked',
      [name],
    );
    if (rows[0]?.locked !== true) return { acquired: false };
    try {
      return { acquired: true, value: await work(client) };
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch((error: Error) => {
        broken = error; // the connection is unusable: destroy it (and with it the lock)
      });
    }
  } finally {
    client.release(broken);
  }
}

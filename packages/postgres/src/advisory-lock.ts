import type { Pool, PoolClient } from 'pg';

export type LockedRun<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

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
  const run = await locked(pool, name, 'select pg_advisory_lock(hashtext($1)), true as locked', work);
  if (!run.acquired) throw new Error(`advisory lock ${name} was not granted`); // pg_advisory_lock waits: unreachable
  return run.value;
}

/**
 * The same, but returns `{acquired: false}` at once when another session holds the lock: replicas of
 * a service that all run the same periodic job (a prune) take turns instead of doing it together.
 */
export function tryWithAdvisoryLock<T>(
  pool: Pool,
  name: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<LockedRun<T>> {
  return locked(pool, name, 'select pg_try_advisory_lock(hashtext($1)) as locked', work);
}

async function locked<T>(
  pool: Pool,
  name: string,
  lockSql: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<LockedRun<T>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(lockSql, [name]);
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

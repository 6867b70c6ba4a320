import pg from 'pg';

export interface PoolSettings {
  readonly max?: number;
  /** Told about connections that fail while idle (the server restarted, the database was dropped). */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * A Postgres pool for services, jobs and tests. pg emits an idle connection's failure as an
 * 'error' event on the pool; without a listener that event kills the process, so every pool gets
 * one here.
 *
 * A client checked out with `pool.connect()` (a transaction, a COPY, an advisory lock) has no pool
 * listener while it is out: pg emits its connection's end ('Connection terminated unexpectedly',
 * a PostgreSQL restart) as an 'error' event on the client, which killed the dashboard sink in a
 * chaos run. Every client gets a listener: the error still reaches the caller through the query in
 * flight or the next one, and the pool discards the broken client on release.
 */
export function createPool(connectionString: string, settings: PoolSettings = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: settings.max ?? 4 });
  pool.on('error', settings.onIdleError ?? (() => undefined));
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `use` on a pool of its own, ended afterwards (also when `use` failed): one-shot steps such as migrations. */
export async function withPool<T>(
  connectionString: string,
  settings: PoolSettings,
  use: (pool: pg.Pool) => Promise<T>,
): Promise<T> {
  const pool = createPool(connectionString, settings);
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

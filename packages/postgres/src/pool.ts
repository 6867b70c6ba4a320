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
 */
export function createPool(connectionString: string, settings: PoolSettings = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: settings.max ?? 4 });
  pool.on('error', settings.onIdleError ?? (() => undefined));
  return pool;
}

import { describeError, type ServiceContext } from '@streamkit/runtime';
import type pg from 'pg';
import { createPool } from './pool.ts';

type AcquireWithLogger = Pick<ServiceContext<unknown>, 'acquire' | 'logger'>;

export interface AcquirePoolSettings {
  /** Connections at most: one per query in flight, plus what LISTENs and the health check hold. */
  readonly max: number;
  /** The resource's name in the start-up line and the log (default `postgres`). */
  readonly name?: string;
  /** The service's migrations, applied once the pool is open (tracked: a no-op after the first replica). */
  readonly migrate?: (pool: pg.Pool) => Promise<unknown>;
}

/**
 * A service's PostgreSQL pool, ended at shutdown after everything acquired later; an idle
 * connection's failure (the server restarted) is logged as a warning, never fatal. With `migrate`,
 * the pipeline's migrations are applied before anything else uses the pool.
 */
export async function acquirePool(
  { acquire, logger }: AcquireWithLogger,
  url: string,
  settings: AcquirePoolSettings,
): Promise<pg.Pool> {
  const name = settings.name ?? 'postgres';
  const pool = await acquire(
    name,
    () =>
      createPool(url, {
        max: settings.max,
        onIdleError: (error) =>
          logger.warn('idle Postgres connection failed', { pool: name, error: describeError(error) }),
      }),
    (p) => p.end(),
  );
  const { migrate } = settings;
  if (migrate !== undefined) await acquire(`${name} migrations`, () => migrate(pool));
  return pool;
}

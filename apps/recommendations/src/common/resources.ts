import { createPool } from '@streamkit/postgres';
import { describeError, type Logger, type ServiceContext } from '@streamkit/runtime';
import { Redis, type RedisOptions } from 'ioredis';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';

/** What the helpers below need of a service's start context. */
export type Acquirer = Pick<ServiceContext<unknown>, 'acquire' | 'logger'>;

/** The pipeline's PostgreSQL pool with its migrations applied; ended when the service stops. */
export async function acquirePostgres(
  { acquire, logger }: Acquirer,
  url: string,
  max: number,
): Promise<Pool> {
  const pool = await acquire(
    'postgres',
    () => createPool(url, { max, onIdleError: warnOf(logger, 'idle Postgres connection failed') }),
    (p) => p.end(),
  );
  await acquire('postgres migrations', () => migrate(pool));
  return pool;
}

/** A connected Redis client (`name` tells several apart in the log); quit when the service stops. */
export function acquireRedis(
  { acquire, logger }: Acquirer,
  url: string,
  name = 'redis',
  options: RedisOptions = {},
): Promise<Redis> {
  return acquire(
    name,
    async () => {
      const redis = new Redis(url, { maxRetriesPerRequest: 3, ...options, lazyConnect: true });
      redis.on('error', warnOf(logger, `${name} connection error`));
      await redis.connect();
      return redis;
    },
    (redis) => redis.quit().catch(() => redis.disconnect()),
  );
}

function warnOf(logger: Logger, message: string): (error: unknown) => void {
  return (error) => logger.warn(message, { error: describeError(error) });
}

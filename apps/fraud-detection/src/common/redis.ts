import { describeError, type Logger } from '@streamkit/runtime';
import { Redis, type RedisOptions } from 'ioredis';

/** A connected client (a failed first connect rejects and leaves nothing reconnecting behind). */
export async function openRedis(url: string, options: RedisOptions, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { ...options, lazyConnect: true });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
    logger.warn('redis connection error', { error: describeError(error) });
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    // connect() only says "Connection is closed."; the error event said why (ECONNREFUSED…)
    throw lastError ?? error;
  }
  return redis;
}

/** QUIT (pending replies first); a connection already closed is simply dropped. */
export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}

import { deleteKeysWithPrefix } from '@streamkit/testkit';
import { Redis } from 'ioredis';

/**
 * A run's Redis keys go with its topics. A fraud or recs ramp leaves millions (payments,
 * decisions, card states, shoppers), and a shared Redis that keeps them slows every later SCAN:
 * 7 million leftover keys made the recs retention's co-occurrence scan outlast its test's 10 s.
 */
export async function removeRedisKeys(redisUrl: string, prefix: string, log: (line: string) => void) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const started = Date.now();
    await deleteKeysWithPrefix(redis, prefix);
    log(`[bench] removed the Redis keys ${prefix}* (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    log(
      `[bench] could not remove the Redis keys ${prefix}*: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    redis.disconnect();
  }
}

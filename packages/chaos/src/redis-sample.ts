/** Shows Redis durable across kill -9: keys sampled before the kill must all exist after the restart. */
import { Redis } from 'ioredis';

const sampleSize = 500;

/** Up to 500 keys that will not expire within two minutes (so only a loss can remove them). */
export async function sampleDurableKeys(url: string): Promise<string[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 200);
      cursor = next;
      for (const key of batch) {
        const ttl = await redis.pttl(key);
        if (ttl === -1 || ttl > 120_000) keys.push(key);
        if (keys.length >= sampleSize) return keys;
      }
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** How many of `keys` exist now. */
export async function countExisting(url: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    await redis.connect();
    let found = 0;
    for (let i = 0; i < keys.length; i += 100) found += await redis.exists(...keys.slice(i, i + 100));
    return found;
  } finally {
    redis.disconnect();
  }
}

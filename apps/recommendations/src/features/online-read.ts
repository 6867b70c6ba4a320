import type { Redis } from 'ioredis';
import type { PopularityWindow, RecsRedisKeys } from '../common/redis-keys.ts';
import { POPULARITY_WINDOWS, windowBuckets } from '../domain/feature-rules.ts';
import type { UserFeatures } from '../domain/feature-state.ts';

/**
 * A user's online features as stored (the feature store's read side): the same fields the
 * in-memory reference holds, so that the tests compare the two directly.
 */
export interface StoredUserFeatures extends UserFeatures {
  userId: string;
}

export async function readUserFeatures(
  redis: Redis,
  keys: RecsRedisKeys,
  userIds: readonly string[],
): Promise<StoredUserFeatures[]> {
  return (await readUsers(redis, keys, userIds, true)).map(({ view, rawAffinity, meta }) => ({
    ...view,
    affinityRefMs: Number(rawAffinity['@ts'] ?? 0),
    updatedAtMs: Number(meta?.updatedAt ?? 0),
    events: Number(meta?.events ?? 0),
  }));
}

/** What ranking needs of a user (no meta): 3 commands per user instead of readUserFeatures' 4. */
export interface StoredUserView {
  userId: string;
  recent: string[];
  affinity: Map<string, number>;
  purchased: Set<string>;
}

export async function readUserViews(
  redis: Redis,
  keys: RecsRedisKeys,
  userIds: readonly string[],
): Promise<StoredUserView[]> {
  return (await readUsers(redis, keys, userIds, false)).map((u) => u.view);
}

/** One pipeline for all users: recent items, affinity hash, purchases and (withMeta) the meta hash. */
async function readUsers(redis: Redis, keys: RecsRedisKeys, userIds: readonly string[], withMeta: boolean) {
  if (userIds.length === 0) return [];
  const read = redis.pipeline();
  for (const u of userIds) {
    read.lrange(keys.userRecent(u), 0, -1);
    read.hgetall(keys.userAffinity(u));
    read.smembers(keys.userPurchased(u));
    if (withMeta) read.hgetall(keys.userMeta(u));
  }
  const results = ((await read.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const per = withMeta ? 4 : 3;
  return userIds.map((userId, i) => {
    const rawAffinity = results[i * per + 1] as Record<string, string>;
    const affinity = new Map<string, number>();
    for (const [k, v] of Object.entries(rawAffinity)) if (k !== '@ts') affinity.set(k, Number(v));
    const view: StoredUserView = {
      userId,
      recent: results[i * per] as string[],
      affinity,
      purchased: new Set(results[i * per + 2] as string[]),
    };
    const meta = withMeta ? (results[i * per + 3] as Record<string, string>) : undefined;
    return { view, rawAffinity, meta };
  });
}

/** The event-time watermark over all partitions (0 before any event). */
export async function globalWatermark(redis: Redis, keys: RecsRedisKeys): Promise<number> {
  const top = await redis.zrevrange(keys.watermarks(), 0, 0, 'WITHSCORES');
  return Number(top[1] ?? 0);
}

/**
 * Recomputes popularity(window) as the sum of the buckets of the window ending at `endMs`. One
 * pipeline, not MULTI: each window is its own key, and inside MULTI the two unions (10–18 ms each
 * over 10,000 products) held every other client of Redis for their sum once a second.
 */
export async function refreshPopularity(redis: Redis, keys: RecsRedisKeys, endMs: number): Promise<void> {
  const tx = redis.pipeline();
  for (const [window, spec] of Object.entries(POPULARITY_WINDOWS) as [
    PopularityWindow,
    (typeof POPULARITY_WINDOWS)['1h'],
  ][]) {
    const buckets = windowBuckets(spec, endMs).map((b) => keys.itemPopularity(window, b));
    tx.zunionstore(keys.popularity(window), buckets.length, ...buckets);
  }
  for (const [error] of (await tx.exec()) ?? []) if (error) throw error;
}

/**
 * ZREVRANGE key 0 -1 WITHSCORES as ONE space-separated string (product ids never hold spaces): the
 * recommender reads both windows (up to the whole catalog each) every second, and decoding one
 * string is far cheaper for the client than 2 × 10,000 RESP elements.
 */
const POPULARITY_SCRIPT = "return table.concat(redis.call('ZREVRANGE', KEYS[1], 0, -1, 'WITHSCORES'), ' ')";

/** productId → count over a window, as last refreshed. */
export async function readPopularity(
  redis: Redis,
  keys: RecsRedisKeys,
  window: PopularityWindow,
): Promise<Map<string, number>> {
  const joined = (await redis.eval(POPULARITY_SCRIPT, 1, keys.popularity(window))) as string;
  const out = new Map<string, number>();
  if (joined === '') return out;
  const flat = joined.split(' ');
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i] as string, Number(flat[i + 1]));
  return out;
}

/** The top co-occurring products of each item (ZSET co:<item>). */
export async function readNeighbours(
  redis: Redis,
  keys: RecsRedisKeys,
  productIds: readonly string[],
  top: number,
): Promise<Map<string, Map<string, number>>> {
  const read = redis.pipeline();
  for (const p of productIds) read.zrevrange(keys.cooccurrence(p), 0, top - 1, 'WITHSCORES');
  const results = (await read.exec()) ?? [];
  const out = new Map<string, Map<string, number>>();
  productIds.forEach((p, i) => {
    const [error, flat] = results[i] ?? [null, []];
    if (error) throw error;
    const m = new Map<string, number>();
    const list = flat as string[];
    for (let k = 0; k + 1 < list.length; k += 2) m.set(list[k] as string, Number(list[k + 1]));
    out.set(p, m);
  });
  return out;
}

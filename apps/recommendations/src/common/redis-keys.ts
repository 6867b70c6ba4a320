/**
 * Every Redis key the pipeline uses, in one place: the features worker writes the online feature
 * store, the recommender writes the recommendation cache, the web service reads both.
 * The prefix (REDIS_KEY_PREFIX, default "recs:") isolates deployments and test files.
 *
 * Layout (Feast-like: entity key → feature values, each with the event time it was last updated):
 * - userRecent(u)    LIST  of productIds, newest first, capped (feature "recent_items")
 * - userAffinity(u)  HASH  category → decayed affinity; field "@ts" = event time (ms) of the decay reference
 * - userPurchased(u) SET   productIds the user bought (filtered out of recommendations)
 * - userMeta(u)      HASH  {updatedAt (event ms), events}
 * - itemPopularity(window, bucket) ZSET productId → count for one event-time bucket of that window size
 * - popularity(window) ZSET productId → count over the window ending at the watermark (sum of buckets)
 * - watermarks      ZSET  `${topic}:${partition}` → highest event time (ms) seen on that partition
 * - lateEvents       STRING count of events too late for the popularity windows (still logged)
 * - cooccurrence(p)  ZSET  productId → times seen in the same session as p
 * - sessionItems(s)  SET   productIds of a session (to pair new items with), expiring
 * - processed(topic, partition) STRING the highest offset applied to Redis for that partition
 * - recs(u)          STRING JSON CachedRecommendations, with a TTL
 * - trending         STRING JSON CachedRecommendations with userId "*" (fallback for unknown users)
 * - modelVersion     STRING the model version the recommender currently serves
 * - dirtyUsers       SET   users whose features changed since the recommender last ranked them
 * - dirtyUsersClaimed ZSET user → deadline (ms) of the recommender claim ranking it now (back to
 *                    dirtyUsers if the deadline passes: its recommender died mid-round)
 * - userChanged      channel (pub/sub) pinged after dirtyUsers grew: wakes the recommender
 */
export interface RecsRedisKeys {
  userRecent(userId: string): string;
  userAffinity(userId: string): string;
  userPurchased(userId: string): string;
  userMeta(userId: string): string;
  itemPopularity(window: PopularityWindow, bucketStartMs: number): string;
  popularity(window: PopularityWindow): string;
  cooccurrence(productId: string): string;
  sessionItems(sessionId: string): string;
  processed(topic: string, partition: number): string;
  watermarks(): string;
  lateEvents(): string;
  dirtyUsers(): string;
  dirtyUsersClaimed(): string;
  recs(userId: string): string;
  trending(): string;
  modelVersion(): string;
  userChanged(): string;
  /** Every key of this prefix matches `${prefix}*`: for cleaning up a test's keys. */
  readonly prefix: string;
}

export type PopularityWindow = '1h' | '24h';

/** One recommended product with the model's score and a human-readable reason. */
export interface RecommendedItem {
  productId: string;
  score: number;
  reason: string;
}

/** The JSON value of recs(userId) and of trending(). */
export interface CachedRecommendations {
  userId: string;
  items: RecommendedItem[];
  modelVersion: string;
  /** ISO-8601 time of computation. */
  generatedAt: string;
}

export function recsRedisKeys(prefix = 'recs:'): RecsRedisKeys {
  return {
    prefix,
    userRecent: (u) => `${prefix}user:${u}:recent`,
    userAffinity: (u) => `${prefix}user:${u}:affinity`,
    userPurchased: (u) => `${prefix}user:${u}:purchased`,
    userMeta: (u) => `${prefix}user:${u}:meta`,
    itemPopularity: (w, b) => `${prefix}pop:${w}:${b}`,
    popularity: (w) => `${prefix}pop:${w}`,
    cooccurrence: (p) => `${prefix}co:${p}`,
    sessionItems: (s) => `${prefix}session:${s}`,
    processed: (t, p) => `${prefix}processed:${t}:${p}`,
    watermarks: () => `${prefix}watermarks`,
    lateEvents: () => `${prefix}late-events`,
    dirtyUsers: () => `${prefix}dirty-users`,
    dirtyUsersClaimed: () => `${prefix}dirty-users:claimed`,
    recs: (u) => `${prefix}recs:${u}`,
    trending: () => `${prefix}trending`,
    modelVersion: () => `${prefix}model-version`,
    userChanged: () => `${prefix}user-changed`,
  };
}

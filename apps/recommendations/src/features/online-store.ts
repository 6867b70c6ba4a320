import type { UserEvent } from '@streamkit/schemas';
import type { Redis } from 'ioredis';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import {
  addAffinity,
  bucketStart,
  decay,
  EVENT_WEIGHT,
  isLate,
  POPULARITY_WINDOWS,
  RECENT_ITEMS,
  WINDOW_NAMES,
} from '../domain/feature-rules.ts';
import { type ProcessedMarker, type RedisCommand, writeIfMarker } from './marker-fence.ts';

export interface OnlineStoreSettings {
  allowedLatenessMs: number;
  /** Wall-clock TTL of session sets and popularity buckets (they are only needed for a while). */
  sessionTtlSeconds: number;
  bucketTtlSeconds: number;
  /**
   * A user's online features (recent items, affinity, purchases, meta) leave Redis this long after
   * their last event: without it the feature store grows with every user ever seen.
   */
  userTtlSeconds: number;
}

export interface AppliedBatch {
  applied: number;
  late: number;
  users: string[];
  watermarkMs: number;
}

const AFFINITY_REF = '@ts';

/** One partition's run of events, and where its processed marker stood when the run was read. */
export interface PartitionRun {
  readonly topic: string;
  readonly partition: number;
  readonly events: readonly { event: UserEvent; offset: string }[];
  /** The marker read before the run was filtered (writeIfMarker compares it). */
  readonly marker: ProcessedMarker;
  /** The offset the marker moves to: the run's last record (a duplicate at its end included). */
  readonly through: string;
}

/**
 * Applies one partition's run of events to the online store in ONE atomic script, together with
 * the partition's processed-offset marker and watermark, only if the marker is still the one the
 * run was read against (marker-fence.ts). Redis runs the script all or nothing, so after a crash
 * either the whole run is applied and marked, or none of it is: a replay skips records at or below
 * the marker and applies the rest exactly once. Resolves undefined, having written nothing, when
 * another member moved the marker meanwhile (a rebalance): the caller reads it again.
 */
export async function applyToOnlineStore(
  redis: Redis,
  keys: RecsRedisKeys,
  run: PartitionRun,
  categoryOf: (productId: string) => string | undefined,
  settings: OnlineStoreSettings,
): Promise<AppliedBatch | undefined> {
  const { topic, partition, events } = run;
  const users = [...new Set(events.map((e) => e.event.userId))];
  const sessions = [...new Set(events.map((e) => e.event.sessionId))];

  const read = redis.pipeline();
  read.zscore(keys.watermarks(), `${topic}:${partition}`);
  for (const u of users) read.hgetall(keys.userAffinity(u));
  for (const u of users) read.hmget(keys.userMeta(u), 'updatedAt', 'events');
  for (const s of sessions) read.smembers(keys.sessionItems(s));
  const results = ((await read.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  let watermark = Number(results[0] ?? 0);
  const affinity = new Map<string, { ref: number; values: Map<string, number> }>();
  users.forEach((u, i) => {
    const raw = (results[1 + i] ?? {}) as Record<string, string>;
    const values = new Map<string, number>();
    for (const [k, v] of Object.entries(raw)) if (k !== AFFINITY_REF) values.set(k, Number(v));
    affinity.set(u, { ref: Number(raw[AFFINITY_REF] ?? 0), values });
  });
  const updatedAt = new Map<string, number>();
  // users live on one partition: their meta is read here and written by the fenced script
  const eventCounts = new Map<string, number>();
  users.forEach((u, i) => {
    const [at, count] = (results[1 + users.length + i] ?? []) as (string | null)[];
    updatedAt.set(u, Number(at ?? 0));
    eventCounts.set(u, Number(count ?? 0));
  });
  const sessionItems = new Map<string, Set<string>>();
  sessions.forEach((s, i) => {
    sessionItems.set(s, new Set((results[1 + 2 * users.length + i] ?? []) as string[]));
  });

  // The run's effects are summed in memory first, then written with one command per key (not one
  // per event): LPUSH of several values equals the LPUSHes one by one, and counters add up.
  const perUser = new Map<string, { recent: string[]; purchased: string[]; events: number }>();
  const sessionAdds = new Map<string, string[]>();
  const increments = new Map<string, Map<string, number>>();
  const count = (key: string, member: string) => {
    let counts = increments.get(key);
    if (counts === undefined) {
      counts = new Map();
      increments.set(key, counts);
    }
    counts.set(member, (counts.get(member) ?? 0) + 1);
  };
  const bucketKeys = new Set<string>();
  let late = 0;
  for (const { event } of events) {
    const ts = Date.parse(event.ts);
    let writes = perUser.get(event.userId);
    if (writes === undefined) {
      writes = { recent: [], purchased: [], events: 0 };
      perUser.set(event.userId, writes);
    }
    writes.recent.push(event.productId);
    writes.events++;
    const category = categoryOf(event.productId);
    const user = affinity.get(event.userId) as { ref: number; values: Map<string, number> };
    if (category !== undefined) {
      const weight = EVENT_WEIGHT[event.type];
      const next = addAffinity(user.values.get(category) ?? 0, user.ref, weight, ts);
      if (next.refMs !== user.ref) {
        for (const [c, v] of user.values) user.values.set(c, decay(v, user.ref, next.refMs));
        user.ref = next.refMs;
        user.values.set(category, (user.values.get(category) ?? 0) + weight);
      } else {
        user.values.set(category, next.value);
      }
    }
    if (event.type === 'purchase') writes.purchased.push(event.productId);
    updatedAt.set(event.userId, Math.max(updatedAt.get(event.userId) ?? 0, ts));

    const session = sessionItems.get(event.sessionId) as Set<string>;
    if (!session.has(event.productId)) {
      for (const other of session) {
        count(keys.cooccurrence(event.productId), other);
        count(keys.cooccurrence(other), event.productId);
      }
      session.add(event.productId);
      const adds = sessionAdds.get(event.sessionId);
      if (adds === undefined) sessionAdds.set(event.sessionId, [event.productId]);
      else adds.push(event.productId);
    }

    watermark = Math.max(watermark, ts);
    if (isLate(ts, watermark, settings.allowedLatenessMs)) {
      late++;
    } else {
      for (const w of WINDOW_NAMES) {
        const key = keys.itemPopularity(w, bucketStart(ts, POPULARITY_WINDOWS[w].bucketMs));
        count(key, event.productId);
        bucketKeys.add(key);
      }
    }
  }

  const tx: RedisCommand[] = [];
  const str = (n: number) => String(n);
  for (const [u, writes] of perUser) {
    const recentKey = keys.userRecent(u);
    tx.push(['LPUSH', recentKey, ...writes.recent]);
    tx.push(['LTRIM', recentKey, '0', str(RECENT_ITEMS - 1)]);
    if (writes.purchased.length > 0) tx.push(['SADD', keys.userPurchased(u), ...writes.purchased]);
  }
  for (const [s, adds] of sessionAdds) tx.push(['SADD', keys.sessionItems(s), ...adds]);
  for (const [key, counts] of increments)
    for (const [member, n] of counts) tx.push(['ZINCRBY', key, str(n), member]);
  for (const key of bucketKeys) tx.push(['EXPIRE', key, str(settings.bucketTtlSeconds)]);
  for (const s of sessions) tx.push(['EXPIRE', keys.sessionItems(s), str(settings.sessionTtlSeconds)]);
  for (const [u, a] of affinity) {
    // every field of the hash was read above and is written back (fields are never removed): no DEL
    tx.push([
      'HSET',
      keys.userAffinity(u),
      AFFINITY_REF,
      String(a.ref),
      ...[...a.values].flatMap(([c, v]) => [c, String(v)]),
    ]);
    tx.push([
      'HSET',
      keys.userMeta(u),
      'updatedAt',
      String(updatedAt.get(u) ?? 0),
      'events',
      String((eventCounts.get(u) ?? 0) + (perUser.get(u)?.events ?? 0)),
    ]);
    for (const key of [keys.userRecent(u), keys.userAffinity(u), keys.userPurchased(u), keys.userMeta(u)])
      tx.push(['EXPIRE', key, str(settings.userTtlSeconds)]);
  }
  if (late > 0) tx.push(['INCRBY', keys.lateEvents(), str(late)]);
  if (events.length > 0) {
    tx.push(['ZADD', keys.watermarks(), str(watermark), `${topic}:${partition}`]);
    tx.push(['SADD', keys.dirtyUsers(), ...users]);
  }
  const written = await writeIfMarker(redis, keys, topic, partition, run.marker, run.through, tx);
  if (!written) return undefined;
  return { applied: events.length, late, users, watermarkMs: watermark };
}

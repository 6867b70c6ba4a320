import type { UserEvent } from '@streamkit/schemas';
import type { PopularityWindow } from '../common/redis-keys.ts';
import {
  addAffinity,
  bucketStart,
  decay,
  EVENT_WEIGHT,
  isLate,
  POPULARITY_WINDOWS,
  RECENT_ITEMS,
  WINDOW_NAMES,
  windowBuckets,
} from './feature-rules.ts';

export interface UserFeatures {
  /** Newest first, at most RECENT_ITEMS, repeats allowed (as LPUSH + LTRIM keeps them). */
  recent: string[];
  /** Category → affinity held at `affinityRefMs`. */
  affinity: Map<string, number>;
  /** Event time the affinity values are held at. */
  affinityRefMs: number;
  purchased: Set<string>;
  /** Event time of the newest event applied. */
  updatedAtMs: number;
  events: number;
}

/**
 * The online features as plain in-memory state: what the Redis layout holds after applying the
 * same events in the same per-partition order. Used offline (trainer, quality) and as the tests'
 * reference for the features worker.
 */
export class FeatureState {
  readonly users = new Map<string, UserFeatures>();
  /** `${window}:${bucketStart}` → productId → count */
  readonly buckets = new Map<string, Map<string, number>>();
  readonly cooccurrence = new Map<string, Map<string, number>>();
  readonly sessions = new Map<string, Set<string>>();
  readonly watermarks = new Map<number, number>();
  lateEvents = 0;

  private readonly categoryOf: (productId: string) => string | undefined;
  private readonly allowedLatenessMs: number;

  constructor(categoryOf: (productId: string) => string | undefined, allowedLatenessMs: number) {
    this.categoryOf = categoryOf;
    this.allowedLatenessMs = allowedLatenessMs;
  }

  apply(event: UserEvent, partition = 0): void {
    const ts = Date.parse(event.ts);
    const user = this.user(event.userId);
    user.recent.unshift(event.productId);
    if (user.recent.length > RECENT_ITEMS) user.recent.length = RECENT_ITEMS;
    const category = this.categoryOf(event.productId);
    if (category !== undefined) {
      const next = addAffinity(
        user.affinity.get(category) ?? 0,
        user.affinityRefMs,
        EVENT_WEIGHT[event.type],
        ts,
      );
      if (next.refMs !== user.affinityRefMs) {
        for (const [c, v] of user.affinity) user.affinity.set(c, decay(v, user.affinityRefMs, next.refMs));
        user.affinityRefMs = next.refMs;
        user.affinity.set(category, (user.affinity.get(category) ?? 0) + EVENT_WEIGHT[event.type]);
      } else {
        user.affinity.set(category, next.value);
      }
    }
    if (event.type === 'purchase') user.purchased.add(event.productId);
    user.updatedAtMs = Math.max(user.updatedAtMs, ts);
    user.events++;

    const session = this.sessions.get(event.sessionId) ?? new Set<string>();
    this.sessions.set(event.sessionId, session);
    if (!session.has(event.productId)) {
      for (const other of session) {
        increment(this.cooccurrence, event.productId, other);
        increment(this.cooccurrence, other, event.productId);
      }
      session.add(event.productId);
    }

    const watermark = Math.max(this.watermarks.get(partition) ?? 0, ts);
    this.watermarks.set(partition, watermark);
    if (isLate(ts, watermark, this.allowedLatenessMs)) {
      this.lateEvents++;
    } else {
      for (const w of WINDOW_NAMES) {
        increment(this.buckets, `${w}:${bucketStart(ts, POPULARITY_WINDOWS[w].bucketMs)}`, event.productId);
      }
    }
  }

  /** Item counts over the window ending at `endMs`. */
  popularity(window: PopularityWindow, endMs: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of windowBuckets(POPULARITY_WINDOWS[window], endMs)) {
      for (const [p, n] of this.buckets.get(`${window}:${b}`) ?? []) out.set(p, (out.get(p) ?? 0) + n);
    }
    return out;
  }

  /** The highest event time seen on any partition. */
  watermark(): number {
    return Math.max(0, ...this.watermarks.values());
  }

  private user(userId: string): UserFeatures {
    let user = this.users.get(userId);
    if (user === undefined) {
      user = {
        recent: [],
        affinity: new Map(),
        affinityRefMs: 0,
        purchased: new Set(),
        updatedAtMs: 0,
        events: 0,
      };
      this.users.set(userId, user);
    }
    return user;
  }
}

function increment(map: Map<string, Map<string, number>>, key: string, member: string): void {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  inner.set(member, (inner.get(member) ?? 0) + 1);
}

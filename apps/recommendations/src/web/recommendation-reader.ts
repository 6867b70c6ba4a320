import type { Redis } from 'ioredis';
import type { CachedRecommendations, RecommendedItem, RecsRedisKeys } from '../common/redis-keys.ts';
import { CachedRecordError } from './errors.ts';

export interface RecommendationsAnswer {
  readonly userId: string;
  readonly items: RecommendedItem[];
  readonly modelVersion: string;
  readonly generatedAt: string;
  readonly source: 'personal' | 'fallback';
}

export interface RecommendationReader {
  /** The user's cached top-N, else the trending list; an empty fallback before anything was computed. */
  forUser(userId: string, limit: number): Promise<RecommendationsAnswer>;
  /** The trending list alone (the storefront's "trending now"). */
  trending(limit: number): Promise<RecommendationsAnswer>;
}

/**
 * Reads the recommender's cache: ONE round trip per request (MGET of the user's list and the
 * trending list), so serving stays a single Redis call whichever answer it becomes.
 */
export function createRecommendationReader(redis: Redis, keys: RecsRedisKeys): RecommendationReader {
  const trendingKey = keys.trending();
  const answer = (
    key: string,
    raw: string,
    userId: string,
    limit: number,
    source: RecommendationsAnswer['source'],
  ): RecommendationsAnswer => {
    const cached = parseCached(key, raw);
    return {
      userId,
      items: cached.items.length > limit ? cached.items.slice(0, limit) : cached.items,
      modelVersion: cached.modelVersion,
      generatedAt: cached.generatedAt,
      source,
    };
  };
  const empty = (userId: string): RecommendationsAnswer => ({
    userId,
    items: [],
    modelVersion: 'none',
    generatedAt: new Date().toISOString(),
    source: 'fallback',
  });
  return {
    async forUser(userId, limit) {
      const userKey = keys.recs(userId);
      const [personal, trending] = await redis.mget(userKey, trendingKey);
      if (personal != null) return answer(userKey, personal, userId, limit, 'personal');
      if (trending != null) return answer(trendingKey, trending, userId, limit, 'fallback');
      return empty(userId);
    },
    async trending(limit) {
      const trending = await redis.get(trendingKey);
      return trending == null ? empty('*') : answer(trendingKey, trending, '*', limit, 'fallback');
    },
  };
}

function parseCached(key: string, raw: string): CachedRecommendations {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new CachedRecordError(key, 'not JSON', error);
  }
  const v = value as Partial<CachedRecommendations> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    !Array.isArray(v.items) ||
    typeof v.modelVersion !== 'string' ||
    typeof v.generatedAt !== 'string'
  ) {
    throw new CachedRecordError(key, 'expected {items[], modelVersion, generatedAt}');
  }
  return v as CachedRecommendations;
}

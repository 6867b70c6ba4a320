import type { Redis } from 'ioredis';
import type { CatalogIndex } from '../catalog/index.ts';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import { groupByCategory } from '../domain/by-category.ts';
import type { ItemSignals } from '../domain/recommend.ts';
import { readNeighbours, readPopularity } from '../features/online-read.ts';

export const NEIGHBOURS_PER_ITEM = 20;

/** Item-level signals read from the online store: popularity is shared by all users of a round. */
export interface PopularitySnapshot {
  pop1h: Map<string, number>;
  pop24h: Map<string, number>;
  /** In-stock products by 24 h popularity (1 h breaks ties), best first. */
  ranked: string[];
  byCategory: Map<string, string[]>;
}

export async function loadPopularity(
  redis: Redis,
  keys: RecsRedisKeys,
  catalog: CatalogIndex,
): Promise<PopularitySnapshot> {
  const [pop1h, pop24h] = await Promise.all([
    readPopularity(redis, keys, '1h'),
    readPopularity(redis, keys, '24h'),
  ]);
  // the counts are looked up once per product, not twice per comparison (10,000 products every refresh)
  const entries: { p: string; day: number; hour: number }[] = [];
  for (const [p, day] of pop24h) if (catalog.inStock(p)) entries.push({ p, day, hour: pop1h.get(p) ?? 0 });
  const ranked = entries
    .sort((a, b) => b.day - a.day || b.hour - a.hour || (a.p < b.p ? -1 : 1))
    .map((e) => e.p);
  const byCategory = groupByCategory(ranked, (p) => catalog.categoryOf(p));
  return { pop1h, pop24h, ranked, byCategory };
}

/**
 * ItemSignals for a round of users: the popularity snapshot plus the co-occurrence neighbours of
 * every recent item of those users, read in one pipeline.
 */
export async function onlineSignals(
  redis: Redis,
  keys: RecsRedisKeys,
  catalog: CatalogIndex,
  popularity: PopularitySnapshot,
  recentItems: Iterable<string>,
): Promise<ItemSignals> {
  const neighbours = await readNeighbours(redis, keys, [...new Set(recentItems)], NEIGHBOURS_PER_ITEM);
  const empty = new Map<string, number>();
  return {
    neighbours: (p) => neighbours.get(p) ?? empty,
    popularity1h: (p) => popularity.pop1h.get(p) ?? 0,
    popularity24h: (p) => popularity.pop24h.get(p) ?? 0,
    trendingIn: (c, n) => (popularity.byCategory.get(c) ?? []).slice(0, n),
    trending: (n) => popularity.ranked.slice(0, n),
    categoryOf: (p) => catalog.categoryOf(p),
    inStock: (p) => catalog.inStock(p),
  };
}

import type { Redis } from 'ioredis';
import type { CatalogIndex } from '../catalog/index.ts';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
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
  const ranked = [...pop24h.keys()]
    .filter((p) => catalog.inStock(p))
    .sort(
      (a, b) =>
        (pop24h.get(b) ?? 0) - (pop24h.get(a) ?? 0) ||
        (pop1h.get(b) ?? 0) - (pop1h.get(a) ?? 0) ||
        (a < b ? -1 : 1),
    );
  const byCategory = new Map<string, string[]>();
  for (const p of ranked) {
    const c = catalog.categoryOf(p);
    if (c === undefined) continue;
    const list = byCategory.get(c) ?? [];
    list.push(p);
    byCategory.set(c, list);
  }
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

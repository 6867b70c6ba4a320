import { groupByCategory } from './by-category.ts';
import type { FeatureState } from './feature-state.ts';
import type { ItemSignals, UserView } from './recommend.ts';

const NEIGHBOURS = 20;

/** ItemSignals over in-memory FeatureState as of event time `asOfMs` (offline training/evaluation). */
export function offlineSignals(
  state: FeatureState,
  asOfMs: number,
  catalog: { categoryOf(id: string): string | undefined; inStock(id: string): boolean },
): ItemSignals {
  const pop1h = state.popularity('1h', asOfMs);
  const pop24h = state.popularity('24h', asOfMs);
  const ranked = [...pop24h.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
  const byCategory = groupByCategory(ranked, (p) => catalog.categoryOf(p));
  const neighbourCache = new Map<string, ReadonlyMap<string, number>>();
  return {
    neighbours(productId) {
      let top = neighbourCache.get(productId);
      if (top === undefined) {
        const all = [...(state.cooccurrence.get(productId) ?? new Map<string, number>()).entries()];
        top = new Map(all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, NEIGHBOURS));
        neighbourCache.set(productId, top);
      }
      return top;
    },
    popularity1h: (p) => pop1h.get(p) ?? 0,
    popularity24h: (p) => pop24h.get(p) ?? 0,
    trendingIn: (c, n) => (byCategory.get(c) ?? []).slice(0, n),
    trending: (n) => ranked.slice(0, n),
    categoryOf: (p) => catalog.categoryOf(p),
    inStock: (p) => catalog.inStock(p),
  };
}

export function offlineUserView(state: FeatureState, userId: string): UserView | undefined {
  const user = state.users.get(userId);
  if (user === undefined) return undefined;
  return { recent: user.recent, affinity: user.affinity, purchased: user.purchased };
}

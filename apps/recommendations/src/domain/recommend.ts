import type { RecommendedItem } from '../common/redis-keys.ts';
import { contributions, type FeatureVector, type ScoringModel, score } from './model.ts';

/** What the recommender knows of one user (from the online store, or offline state). */
export interface UserView {
  recent: readonly string[];
  affinity: ReadonlyMap<string, number>;
  purchased: ReadonlySet<string>;
}

/** Item-level signals: co-occurrence neighbours, windowed popularity, the catalog. */
export interface ItemSignals {
  /** Products seen in the same sessions as `productId`, with counts (the top ones suffice). */
  neighbours(productId: string): ReadonlyMap<string, number>;
  popularity1h(productId: string): number;
  popularity24h(productId: string): number;
  /** Most popular products of a category (24 h window), best first. */
  trendingIn(categoryId: string, n: number): readonly string[];
  /** Most popular products overall, best first. */
  trending(n: number): readonly string[];
  categoryOf(productId: string): string | undefined;
  inStock(productId: string): boolean;
}

export interface RecommendSettings {
  limit: number;
  /** Recent items whose neighbours become candidates. */
  recentForCandidates: number;
  /** Top categories (by affinity) whose trending products become candidates. */
  topCategories: number;
  perCategory: number;
}

export const defaultRecommendSettings: RecommendSettings = {
  limit: 10,
  recentForCandidates: 5,
  topCategories: 3,
  perCategory: 30,
};

/** The candidate features of FEATURE_NAMES for one candidate. */
export function candidateFeatures(
  user: UserView,
  neighbourMaps: readonly ReadonlyMap<string, number>[],
  signals: ItemSignals,
  productId: string,
): FeatureVector {
  let cooccurrence = 0;
  neighbourMaps.forEach((m, k) => {
    cooccurrence += (m.get(productId) ?? 0) / (k + 1);
  });
  let total = 0;
  for (const v of user.affinity.values()) total += v;
  const category = signals.categoryOf(productId);
  const share = total > 0 && category !== undefined ? (user.affinity.get(category) ?? 0) / total : 0;
  return [
    Math.log1p(cooccurrence),
    share,
    Math.log1p(signals.popularity1h(productId)),
    Math.log1p(signals.popularity24h(productId)),
  ];
}

/** Distinct recent items, newest first. */
export function distinctRecent(user: UserView, n: number): string[] {
  return [...new Set(user.recent)].slice(0, n);
}

/** Candidate set: neighbours of recent items, trending in favourite categories, trending overall. */
export function candidates(user: UserView, signals: ItemSignals, settings: RecommendSettings): Set<string> {
  const out = new Set<string>();
  for (const item of distinctRecent(user, settings.recentForCandidates)) {
    for (const p of signals.neighbours(item).keys()) out.add(p);
  }
  const categories = [...user.affinity.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, settings.topCategories);
  for (const [c] of categories) for (const p of signals.trendingIn(c, settings.perCategory)) out.add(p);
  for (const p of signals.trending(settings.limit * 2)) out.add(p);
  return out;
}

const REASONS = [
  'bought together with items you viewed',
  'matches categories you like',
  'trending now',
  'popular today',
];

/**
 * Top-N for one user: candidates scored by the trained model, purchased and out-of-stock products
 * filtered out, ties broken by product id (deterministic).
 */
export function recommend(
  user: UserView,
  signals: ItemSignals,
  model: ScoringModel,
  settings: RecommendSettings = defaultRecommendSettings,
): RecommendedItem[] {
  const neighbourMaps = distinctRecent(user, settings.recentForCandidates).map((p) => signals.neighbours(p));
  const scored: RecommendedItem[] = [];
  for (const productId of candidates(user, signals, settings)) {
    if (user.purchased.has(productId) || !signals.inStock(productId)) continue;
    const x = candidateFeatures(user, neighbourMaps, signals, productId);
    const parts = contributions(model, x);
    const strongest = parts.indexOf(Math.max(...parts));
    scored.push({ productId, score: score(model, x), reason: REASONS[strongest] ?? 'recommended' });
  }
  scored.sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : 1));
  return scored.slice(0, settings.limit);
}

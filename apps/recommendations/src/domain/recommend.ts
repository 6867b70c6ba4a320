import type { RecommendedItem } from '../common/redis-keys.ts';
import { FEATURE_NAMES, type FeatureVector, type ScoringModel } from './model.ts';

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

/** What a candidate's features need from the item signals alone: the same for every user of a round. */
export interface ItemFacts {
  inStock: boolean;
  category: string | undefined;
  logPopularity1h: number;
  logPopularity24h: number;
}

/** Item facts by product id: stock, category and log-popularity of one popularity snapshot. */
export type ItemFactsCache = Map<string, ItemFacts>;

export function createItemFactsCache(): ItemFactsCache {
  return new Map();
}

/** Ranks users against one (immutable) set of item signals and one model. */
export type Ranker = (user: UserView) => RecommendedItem[];

/**
 * The ranker of `recommend`, for many users against the same signals: the item facts of a
 * candidate (stock, category, log-popularity) are looked up once per signals, not once per user,
 * and scoring allocates nothing per candidate. Results are identical to candidateFeatures + score
 * + contributions (same operations in the same order).
 */
export function createRanker(
  signals: ItemSignals,
  model: ScoringModel,
  settings: RecommendSettings = defaultRecommendSettings,
  /**
   * Item facts to reuse, when several signals share their popularity and catalog (the online
   * recommender's rounds between two popularity refreshes); the facts depend on nothing else.
   */
  facts: ItemFactsCache = createItemFactsCache(),
): Ranker {
  const factsOf = (productId: string): ItemFacts => {
    let f = facts.get(productId);
    if (f === undefined) {
      f = {
        inStock: signals.inStock(productId),
        category: signals.categoryOf(productId),
        logPopularity1h: Math.log1p(signals.popularity1h(productId)),
        logPopularity24h: Math.log1p(signals.popularity24h(productId)),
      };
      facts.set(productId, f);
    }
    return f;
  };
  const n = FEATURE_NAMES.length;
  const means = Array.from({ length: n }, (_, i) => model.means[i] ?? 0);
  const stds = Array.from({ length: n }, (_, i) => model.stds[i] || 1);
  const weights = Array.from({ length: n }, (_, i) => model.weights[i] ?? 0);
  const parts = new Array<number>(n).fill(0);
  /** z = bias + Σ standardized·weight, left to right (as score() does); contributions into `parts`. */
  const logit = (x0: number, x1: number, x2: number, x3: number): number => {
    let z = model.bias;
    for (let i = 0; i < n; i++) {
      const v = i === 0 ? x0 : i === 1 ? x1 : i === 2 ? x2 : x3;
      const c = ((v - (means[i] as number)) / (stds[i] as number)) * (weights[i] as number);
      parts[i] = c;
      z += c;
    }
    return z;
  };

  return (user) => {
    const neighbourMaps = distinctRecent(user, settings.recentForCandidates).map((p) =>
      signals.neighbours(p),
    );
    let total = 0;
    for (const v of user.affinity.values()) total += v;
    const ids: string[] = [];
    const features: number[] = [];
    const scores: number[] = [];
    for (const productId of candidates(user, signals, settings)) {
      if (user.purchased.has(productId)) continue;
      const item = factsOf(productId);
      if (!item.inStock) continue;
      // candidateFeatures, inline
      let cooccurrence = 0;
      for (let k = 0; k < neighbourMaps.length; k++)
        cooccurrence += ((neighbourMaps[k] as ReadonlyMap<string, number>).get(productId) ?? 0) / (k + 1);
      const share =
        total > 0 && item.category !== undefined ? (user.affinity.get(item.category) ?? 0) / total : 0;
      const x0 = Math.log1p(cooccurrence);
      ids.push(productId);
      features.push(x0, share);
      scores.push(1 / (1 + Math.exp(-logit(x0, share, item.logPopularity1h, item.logPopularity24h))));
    }
    const order = Array.from(ids.keys()).sort(
      (a, b) =>
        (scores[b] as number) - (scores[a] as number) || ((ids[a] as string) < (ids[b] as string) ? -1 : 1),
    );
    // the reason (the strongest contribution) only for the winners
    return order.slice(0, settings.limit).map((i) => {
      const productId = ids[i] as string;
      const item = factsOf(productId);
      logit(
        features[2 * i] as number,
        features[2 * i + 1] as number,
        item.logPopularity1h,
        item.logPopularity24h,
      );
      const strongest = parts.indexOf(Math.max(...parts));
      return { productId, score: scores[i] as number, reason: REASONS[strongest] ?? 'recommended' };
    });
  };
}

/**
 * Top-N for one user: candidates scored by the trained model, purchased and out-of-stock products
 * filtered out, ties broken by product id (deterministic). For many users against the same
 * signals, createRanker once and call it per user.
 */
export function recommend(
  user: UserView,
  signals: ItemSignals,
  model: ScoringModel,
  settings: RecommendSettings = defaultRecommendSettings,
): RecommendedItem[] {
  return createRanker(signals, model, settings)(user);
}

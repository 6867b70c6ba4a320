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

/** What a candidate's features need from the user: computed once per user, not per candidate. */
export interface UserFeatureInputs {
  /** co-occurrence neighbours of the user's distinct recent items, newest first */
  readonly neighbourMaps: readonly ReadonlyMap<string, number>[];
  readonly affinity: ReadonlyMap<string, number>;
  readonly affinityTotal: number;
}

export function userFeatureInputs(
  user: UserView,
  signals: ItemSignals,
  settings: Pick<RecommendSettings, 'recentForCandidates'> = defaultRecommendSettings,
): UserFeatureInputs {
  let affinityTotal = 0;
  for (const v of user.affinity.values()) affinityTotal += v;
  return {
    neighbourMaps: distinctRecent(user, settings.recentForCandidates).map((p) => signals.neighbours(p)),
    affinity: user.affinity,
    affinityTotal,
  };
}

/** What a candidate's features need from the item signals alone: the same for every user of a round. */
export interface ItemFacts {
  inStock: boolean;
  category: string | undefined;
  logPopularity1h: number;
  logPopularity24h: number;
}

export function itemFacts(signals: ItemSignals, productId: string): ItemFacts {
  return {
    inStock: signals.inStock(productId),
    category: signals.categoryOf(productId),
    logPopularity1h: Math.log1p(signals.popularity1h(productId)),
    logPopularity24h: Math.log1p(signals.popularity24h(productId)),
  };
}

/**
 * The candidate features of FEATURE_NAMES for one candidate: the one formula the trainer's
 * examples and the online ranking share (no train/serve skew).
 */
export function candidateFeatures(
  user: UserFeatureInputs,
  item: ItemFacts,
  productId: string,
): FeatureVector {
  let cooccurrence = 0;
  user.neighbourMaps.forEach((m, k) => {
    cooccurrence += (m.get(productId) ?? 0) / (k + 1);
  });
  const share =
    user.affinityTotal > 0 && item.category !== undefined
      ? (user.affinity.get(item.category) ?? 0) / user.affinityTotal
      : 0;
  return [Math.log1p(cooccurrence), share, item.logPopularity1h, item.logPopularity24h];
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
 * and the reason (the strongest contribution) is worked out for the top-N only.
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
      f = itemFacts(signals, productId);
      facts.set(productId, f);
    }
    return f;
  };
  return (user) => {
    const inputs = userFeatureInputs(user, signals, settings);
    const scored: { productId: string; x: FeatureVector; score: number }[] = [];
    for (const productId of candidates(user, signals, settings)) {
      if (user.purchased.has(productId)) continue;
      const item = factsOf(productId);
      if (!item.inStock) continue;
      const x = candidateFeatures(inputs, item, productId);
      scored.push({ productId, x, score: score(model, x) });
    }
    scored.sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : 1));
    return scored.slice(0, settings.limit).map(({ productId, x, score }) => {
      const parts = contributions(model, x);
      const strongest = parts.indexOf(Math.max(...parts));
      return { productId, score, reason: REASONS[strongest] ?? 'recommended' };
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

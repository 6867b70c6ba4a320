import type { UserEvent } from '@streamkit/schemas';
import { heldOutTargets, type RankingMetrics, rankingMetrics } from './evaluation.ts';
import type { ScoringModel } from './model.ts';
import { offlineSignals, offlineUserView } from './offline-signals.ts';
import { createRanker } from './recommend.ts';
import { type CatalogLookup, replay } from './train.ts';

export interface OfflineEvaluation {
  model: RankingMetrics;
  popularityBaseline: RankingMetrics;
  /** model hit-rate@10 ÷ baseline hit-rate@10 */
  lift: number;
}

/**
 * Time-based split: features from `history` (everything before the held-out period), targets from
 * `heldOut`. The baseline recommends the most popular products of the history to everyone.
 */
export function evaluateOffline(
  history: readonly UserEvent[],
  heldOut: readonly UserEvent[],
  model: ScoringModel,
  catalog: CatalogLookup,
): OfflineEvaluation {
  const state = replay(history, catalog, Number.POSITIVE_INFINITY);
  const cutoff = Math.min(...heldOut.map((e) => Date.parse(e.ts)));
  const signals = offlineSignals(state, cutoff, catalog);
  const targets = heldOutTargets(heldOut, (u) => state.users.get(u)?.purchased ?? new Set());
  const counts = new Map<string, number>();
  for (const e of history) counts.set(e.productId, (counts.get(e.productId) ?? 0) + 1);
  const popular = [...counts.entries()]
    .filter(([p]) => catalog.inStock(p))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([p]) => p);
  const rank = createRanker(signals, model);
  const modelMetrics = rankingMetrics(targets, (userId) => {
    const user = offlineUserView(state, userId);
    return user === undefined ? popular.slice(0, 10) : rank(user);
  });
  const baseline = rankingMetrics(targets, (userId) => {
    const bought = state.users.get(userId)?.purchased;
    return popular.filter((p) => !bought?.has(p)).slice(0, 10);
  });
  return {
    model: modelMetrics,
    popularityBaseline: baseline,
    lift:
      baseline.hitRateAt10 > 0 ? modelMetrics.hitRateAt10 / baseline.hitRateAt10 : Number.POSITIVE_INFINITY,
  };
}

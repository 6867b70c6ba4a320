import type { UserEvent } from '@streamkit/schemas';
import type { RecommendedItem } from '../common/redis-keys.ts';

export interface RankingMetrics {
  users: number;
  hitRateAt10: number;
  ndcgAt10: number;
}

/** What each user went on to interact with in the held-out period (excluding already-bought items). */
export function heldOutTargets(
  heldOut: readonly UserEvent[],
  purchasedBefore: (userId: string) => ReadonlySet<string>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of heldOut) {
    if (purchasedBefore(e.userId).has(e.productId)) continue;
    const set = out.get(e.userId) ?? new Set<string>();
    set.add(e.productId);
    out.set(e.userId, set);
  }
  return out;
}

/** hit-rate@10 (any relevant item in the top 10) and NDCG@10 with binary relevance. */
export function rankingMetrics(
  targets: ReadonlyMap<string, ReadonlySet<string>>,
  rank: (userId: string) => readonly RecommendedItem[] | readonly string[],
): RankingMetrics {
  let hits = 0;
  let ndcg = 0;
  for (const [userId, relevant] of targets) {
    const list = rank(userId)
      .slice(0, 10)
      .map((r) => (typeof r === 'string' ? r : r.productId));
    let dcg = 0;
    list.forEach((p, i) => {
      if (relevant.has(p)) dcg += 1 / Math.log2(i + 2);
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(10, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
    if (dcg > 0) hits++;
    ndcg += ideal > 0 ? dcg / ideal : 0;
  }
  const users = targets.size;
  return { users, hitRateAt10: users ? hits / users : 0, ndcgAt10: users ? ndcg / users : 0 };
}

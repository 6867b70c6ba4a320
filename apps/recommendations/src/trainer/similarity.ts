import type { UserEvent } from '@streamkit/schemas';

/**
 * Item-item cosine similarity over sessions: co(i, j) / sqrt(sessions(i) · sessions(j)), the
 * top-K neighbours per item. Co-occurrence counts each pair once per session.
 */
export function itemSimilarity(events: readonly UserEvent[], topK: number): Map<string, Map<string, number>> {
  const sessions = new Map<string, Set<string>>();
  for (const e of events) {
    const set = sessions.get(e.sessionId) ?? new Set<string>();
    set.add(e.productId);
    sessions.set(e.sessionId, set);
  }
  const occurrences = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const items of sessions.values()) {
    const list = [...items];
    for (const i of list) occurrences.set(i, (occurrences.get(i) ?? 0) + 1);
    for (const i of list) {
      for (const j of list) {
        if (i === j) continue;
        const row = pairs.get(i) ?? new Map<string, number>();
        row.set(j, (row.get(j) ?? 0) + 1);
        pairs.set(i, row);
      }
    }
  }
  const out = new Map<string, Map<string, number>>();
  for (const [i, row] of pairs) {
    const ni = occurrences.get(i) ?? 1;
    const scored = [...row].map(([j, c]) => [j, c / Math.sqrt(ni * (occurrences.get(j) ?? 1))] as const);
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.set(i, new Map(scored.slice(0, topK)));
  }
  return out;
}

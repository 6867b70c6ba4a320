import type { QualityResult } from './run-quality.ts';

/** The lift the issue asks for: hit-rate@10 at least 1.5× the popularity baseline. */
export const REQUIRED_LIFT = 1.5;

export function formatQuality(r: QualityResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `recommendation quality (seed ${r.settings.seed}, ${r.settings.users} simulated shoppers, ${r.settings.products} products)`,
    `  history ${r.settings.historyDays} d (${r.events.history} events, ${r.events.examples} training examples), held-out ${r.settings.heldOutDays} d (${r.events.heldOut} events, ${r.model.users} users)`,
    `                 hit-rate@10   NDCG@10`,
    `  model          ${pct(r.model.hitRateAt10).padStart(11)}   ${r.model.ndcgAt10.toFixed(4)}`,
    `  popularity     ${pct(r.popularityBaseline.hitRateAt10).padStart(11)}   ${r.popularityBaseline.ndcgAt10.toFixed(4)}`,
    `  lift ${r.lift.toFixed(2)}x (required >= ${REQUIRED_LIFT}x): ${r.lift >= REQUIRED_LIFT ? 'PASS' : 'FAIL'}`,
    `  model weights ${r.trained.featureNames.map((n, i) => `${n}=${(r.trained.weights[i] ?? 0).toFixed(3)}`).join(' ')}`,
  ].join('\n');
}

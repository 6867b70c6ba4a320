import type { UserEvent } from '@streamkit/schemas';
import { buildCatalogIndex, generateCatalog } from '../catalog/index.ts';
import type { ScoringModel } from '../domain/model.ts';
import { evaluateOffline, type OfflineEvaluation } from '../domain/offline-evaluation.ts';
import { buildExamples, fitScoringModel } from '../domain/train.ts';
import { createShopperWorld, simulateHistory } from '../generator/index.ts';

export interface QualitySettings {
  seed: number | string;
  users: number;
  products: number;
  historyDays: number;
  heldOutDays: number;
  /** Mean sessions per user per day. */
  sessionsPerUserPerDay: number;
}

export const defaultQualitySettings: QualitySettings = {
  seed: 42,
  users: 1500,
  products: 10_000,
  historyDays: 14,
  heldOutDays: 2,
  sessionsPerUserPerDay: 0.5,
};

export interface QualityResult extends OfflineEvaluation {
  settings: QualitySettings;
  model: OfflineEvaluation['model'];
  trained: ScoringModel;
  events: { history: number; heldOut: number; examples: number };
}

const DAY_MS = 86_400_000;
export const QUALITY_START_MS = Date.UTC(2026, 0, 1);

/**
 * The quality bar, measured on simulated shoppers: train on a history, then rank for a later,
 * held-out period and compare hit-rate@10 with the popularity baseline.
 */
export function runQuality(settings: QualitySettings = defaultQualitySettings): QualityResult {
  const catalog = generateCatalog({ seed: settings.seed, products: settings.products });
  const index = buildCatalogIndex(catalog.products);
  const world = createShopperWorld({
    seed: settings.seed,
    users: settings.users,
    products: settings.products,
  });
  const historyEnd = QUALITY_START_MS + settings.historyDays * DAY_MS;
  const history: UserEvent[] = simulateHistory(
    {
      ...world.settings,
      startMs: QUALITY_START_MS,
      durationMs: settings.historyDays * DAY_MS,
      sessionsPerUser: settings.historyDays * settings.sessionsPerUserPerDay,
    },
    world,
  );
  const heldOut = simulateHistory(
    {
      ...world.settings,
      startMs: historyEnd,
      durationMs: settings.heldOutDays * DAY_MS,
      sessionsPerUser: settings.heldOutDays * settings.sessionsPerUserPerDay,
    },
    world,
  );
  // the trainer's own time split inside the history: features before, labels after
  const examples = buildExamples(history, historyEnd - settings.heldOutDays * DAY_MS, index);
  const trained = fitScoringModel(examples, `quality-${settings.seed}`);
  const evaluation = evaluateOffline(history, heldOut, trained, index);
  return {
    ...evaluation,
    settings,
    trained,
    events: { history: history.length, heldOut: heldOut.length, examples: examples.length },
  };
}

/**
 * A trained model from the start: `pnpm demo recommendations` and compose's `recs-model-init` (the
 * trainer with --if-missing) run this before the recommender starts. Without a stored model it
 * fills the offline store with the generator's history (when it holds fewer events than training
 * needs) and trains one; with one, it does nothing. Under an advisory lock, so two init runs at once
 * train one model, not two.
 */
import { withAdvisoryLock } from '@streamkit/postgres';
import type { Pool } from 'pg';
import { seedCatalog } from '../catalog/index.ts';
import { migrate } from '../db/migrate.ts';
import type { OfflineEvaluation } from '../domain/offline-evaluation.ts';
import { countEvents } from '../features/event-log.ts';
import { recentHistory } from '../generator/history.ts';
import { backfillOfflineStore } from '../generator/history-sink.ts';
import { createShopperWorld } from '../generator/shoppers.ts';
import { latestModel } from '../recommender/model-store.ts';
import { runTraining, type TrainingSettings } from './run-training.ts';

/** The simulated shoppers whose history a missing model is trained on (the generator's settings). */
export interface HistoryWorld {
  readonly seed: string;
  readonly users: number;
  readonly products: number;
  readonly historyDays: number;
  readonly sessionsPerUserPerDay: number;
}

// a progress line every this many events written (≈ 1 s each)
const writeProgressEvery = 20_000;

export interface EnsuredModel {
  readonly version: string;
  readonly evaluation: OfflineEvaluation;
  /** false: the model was already there */
  readonly trained: boolean;
}

export async function ensureModel(
  pool: Pool,
  settings: { readonly training: TrainingSettings; readonly world: HistoryWorld },
  log: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<EnsuredModel> {
  await migrate(pool);
  return withAdvisoryLock(pool, 'streamkit.recs.model-init', async () => {
    const stored = await latestModel(pool);
    if (stored !== undefined) {
      log(`model ${stored.model.version} is stored: nothing to train`);
      return { version: stored.model.version, evaluation: stored.evaluation, trained: false };
    }
    const events = await countEvents(pool);
    if (events < settings.training.minEvents) {
      const { world } = settings;
      log(
        `no model, ${events} events in the offline store: simulating ${world.historyDays} days of ${world.users} shoppers, then training`,
      );
      await seedCatalog(pool, { seed: world.seed, products: world.products });
      const shoppers = createShopperWorld({ seed: world.seed, users: world.users, products: world.products });
      const history = recentHistory(
        shoppers,
        { days: world.historyDays, sessionsPerUserPerDay: world.sessionsPerUserPerDay },
        now().getTime(),
      );
      log(`history: ${history.length} events simulated; writing them to the offline store`);
      let reported = 0;
      const written = await backfillOfflineStore(pool, history, (done) => {
        if (done - reported < writeProgressEvery || done === history.length) return;
        reported = done;
        log(`history: ${done}/${history.length} events written`);
      });
      log(`history: ${written} events written to the offline store`);
    } else {
      log(`no model: training one on the ${events} events of the offline store`);
    }
    const report = await runTraining(pool, settings.training, log, now);
    return { version: report.model.version, evaluation: report.evaluation, trained: true };
  });
}

/** One line for people: the model and its held-out figures. */
export function describeModel(model: Pick<EnsuredModel, 'version' | 'evaluation'>): string {
  const { model: m, popularityBaseline: base, lift } = model.evaluation;
  return `${model.version}: held-out hit-rate@10 ${m.hitRateAt10.toFixed(3)} (popularity baseline ${base.hitRateAt10.toFixed(3)}, lift ${lift.toFixed(2)}x), NDCG@10 ${m.ndcgAt10.toFixed(3)} over ${m.users} users`;
}

import { type Config, env, postgresEnv } from '@streamkit/config';
import { generatorEnv } from '../generator/config.ts';
import type { HistoryWorld } from './ensure-model.ts';
import type { TrainingSettings } from './run-training.ts';

export const trainerEnv = Object.freeze({
  ...postgresEnv,
  minEvents: env.int('TRAINER_MIN_EVENTS', { default: 500, min: 1 }),
  heldOutFraction: env.number('TRAINER_HELD_OUT_FRACTION', { default: 0.2, min: 0.01, max: 0.9 }),
  similarityTopK: env.int('TRAINER_SIMILARITY_TOP_K', { default: 20, min: 1, max: 500 }),
  version: env.string('TRAINER_MODEL_VERSION', { optional: true, pattern: /^[A-Za-z0-9._-]+$/ }),
  // --if-missing writes the generator's history first when the offline store is short of events:
  // the same world (catalog, shoppers) and period as `GENERATOR_MODE=history`
  seed: generatorEnv.seed,
  users: generatorEnv.users,
  products: generatorEnv.products,
  historyDays: generatorEnv.historyDays,
  sessionsPerUserPerDay: generatorEnv.sessionsPerUserPerDay,
  /** recs_item_similarity is kept for the newest N model versions (the one served and those before it). */
  similarityKeepVersions: env.int('TRAINER_SIMILARITY_KEEP_VERSIONS', { default: 3, min: 1, max: 1000 }),
  /** `/metrics` and `/health` while the job runs (default: a free port). */
  metricsPort: env.port('METRICS_PORT', { default: 0, allowZero: true }),
});

export type TrainerConfig = Config<typeof trainerEnv>;

/** What the trainer does with the configuration (the job, --if-missing and the demo share it). */
export function trainingSettingsOf(config: TrainerConfig): TrainingSettings {
  return {
    minEvents: config.minEvents,
    heldOutFraction: config.heldOutFraction,
    similarityTopK: config.similarityTopK,
    ...(config.version === undefined ? {} : { version: config.version }),
  };
}

/** The shoppers whose history a missing model is trained on. */
export function historyWorldOf(config: TrainerConfig): HistoryWorld {
  const { seed, users, products, historyDays, sessionsPerUserPerDay } = config;
  return { seed, users, products, historyDays, sessionsPerUserPerDay };
}

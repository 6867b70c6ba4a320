import { env, postgresEnv } from '@streamkit/config';

export const trainerEnv = Object.freeze({
  ...postgresEnv,
  minEvents: env.int('TRAINER_MIN_EVENTS', { default: 500, min: 1 }),
  heldOutFraction: env.number('TRAINER_HELD_OUT_FRACTION', { default: 0.2, min: 0.01, max: 0.9 }),
  similarityTopK: env.int('TRAINER_SIMILARITY_TOP_K', { default: 20, min: 1, max: 500 }),
  version: env.string('TRAINER_MODEL_VERSION', { optional: true, pattern: /^[A-Za-z0-9._-]+$/ }),
  /** recs_item_similarity is kept for the newest N model versions (the one served and those before it). */
  similarityKeepVersions: env.int('TRAINER_SIMILARITY_KEEP_VERSIONS', { default: 3, min: 1, max: 1000 }),
  /** `/metrics` and `/health` while the job runs (default: a free port). */
  metricsPort: env.port('METRICS_PORT', { default: 0, allowZero: true }),
});

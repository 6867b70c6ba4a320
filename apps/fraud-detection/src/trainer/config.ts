import { env, postgresEnv } from '@streamkit/config';

export const trainerConfigSpec = Object.freeze({
  ...postgresEnv,
  trainFraction: env.number('TRAIN_FRACTION', { default: 0.8, min: 0.5, max: 0.95 }),
  l2: env.number('TRAIN_L2', { default: 0.001, min: 0, max: 10 }),
  epochs: env.int('TRAIN_EPOCHS', { default: 500, min: 1, max: 100_000 }),
  minRocAuc: env.number('TRAIN_MIN_ROC_AUC', { default: 0.7, min: 0, max: 1 }),
  publish: env.bool('TRAIN_PUBLISH', { default: true }),
  /** `/metrics` and `/health` while the job runs (default: a free port). */
  metricsPort: env.port('METRICS_PORT', { default: 0, allowZero: true }),
});

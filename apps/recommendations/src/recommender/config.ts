import { env } from '@streamkit/config';
import { recsCommonEnv } from '../common/env.ts';

/** The recommender's environment: the common settings plus its own. */
export const recommenderEnv = Object.freeze({
  ...recsCommonEnv,
  metricsPort: env.port('METRICS_PORT', { default: 9112, allowZero: true }),
  batchSize: env.int('RECOMMENDER_BATCH_SIZE', { default: 200, min: 1, max: 10_000 }),
  topN: env.int('RECOMMENDER_TOP_N', { default: 20, min: 1, max: 100 }),
  recsTtlSeconds: env.int('RECOMMENDER_RECS_TTL_SECONDS', { default: 86_400, min: 1 }),
  signalsRefreshMs: env.int('RECOMMENDER_SIGNALS_REFRESH_MS', { default: 1000, min: 10 }),
  modelPollIntervalMs: env.int('RECOMMENDER_MODEL_POLL_INTERVAL_MS', { default: 10_000, min: 10 }),
  idlePollMs: env.int('RECOMMENDER_IDLE_POLL_MS', { default: 200, min: 1, max: 60_000 }),
  minRoundIntervalMs: env.int('RECOMMENDER_MIN_ROUND_INTERVAL_MS', { default: 25, min: 0, max: 10_000 }),
  /** Past it, users claimed by a round that never finished (a killed recommender) are ranked again. */
  claimLeaseMs: env.int('RECOMMENDER_CLAIM_LEASE_MS', { default: 30_000, min: 100, max: 3_600_000 }),
});

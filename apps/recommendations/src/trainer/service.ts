import {
  defineService,
  postgresCheck,
  reportPrune,
  type ServiceConfig,
  type ServiceContext,
} from '@streamkit/runtime';
import { acquirePostgres } from '../common/resources.ts';
import { historyWorldOf, trainerEnv, trainingSettingsOf } from './config.ts';
import { describeModel, ensureModel } from './ensure-model.ts';
import { runTraining } from './run-training.ts';
import { pruneSimilarity } from './similarity-retention.ts';

type TrainerContext = ServiceContext<ServiceConfig<typeof trainerEnv>>;

const log = (line: string) => console.log(line);

/** A job's Postgres pool (one connection may hold the model-init lock while the work uses others). */
async function trainerPool(ctx: TrainerContext) {
  const pool = await acquirePostgres(ctx, ctx.config.databaseUrl, 3);
  return { pool, metrics: { port: ctx.config.metricsPort, checks: { postgres: postgresCheck(pool) } } };
}

/**
 * The trainer job: item similarity + scoring model from the offline store, evaluated on a time
 * split, stored as a new version; then the similarity of versions beyond the newest
 * TRAINER_SIMILARITY_KEEP_VERSIONS is deleted. Its report lines go to stdout.
 */
export const trainerJob = defineService({
  name: 'recs-trainer',
  config: trainerEnv,
  async start(ctx) {
    const { pool, metrics } = await trainerPool(ctx);
    const run = async () => {
      const report = await runTraining(pool, trainingSettingsOf(ctx.config), log);
      const started = performance.now();
      const deleted = await pruneSimilarity(pool, {
        keepVersions: ctx.config.similarityKeepVersions,
        batchRows: 5000,
      });
      reportPrune(ctx, { recs_item_similarity: deleted }, performance.now() - started);
      return report;
    };
    return { metrics, parts: { run } };
  },
});

/**
 * `--if-missing` (compose's recs-model-init): trains only when no model is stored, first filling
 * the offline store with the generator's history when it is short of events.
 */
export const modelInitJob = defineService({
  name: 'recs-model-init',
  config: trainerEnv,
  async start(ctx) {
    const { pool, metrics } = await trainerPool(ctx);
    const { config } = ctx;
    const run = async () => {
      const settings = { training: trainingSettingsOf(config), world: historyWorldOf(config) };
      const started = performance.now();
      const model = await ensureModel(pool, settings, log);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(
        `model in use (${model.trained ? `trained in ${seconds} s` : 'already stored'}): ${describeModel(model)}`,
      );
    };
    return { metrics, parts: { run } };
  },
});

import { defineService, postgresCheck, reportPrune } from '@streamkit/runtime';
import { acquirePostgres } from '../common/resources.ts';
import { trainerEnv } from './config.ts';
import { runTraining } from './run-training.ts';
import { pruneSimilarity } from './similarity-retention.ts';

/**
 * The trainer job: item similarity + scoring model from the offline store, evaluated on a time
 * split, stored as a new version; then the similarity of versions beyond the newest
 * TRAINER_SIMILARITY_KEEP_VERSIONS is deleted. Its report lines go to stdout.
 */
export const trainerJob = defineService({
  name: 'recs-trainer',
  config: trainerEnv,
  async start(ctx) {
    const { config } = ctx;
    const pool = await acquirePostgres(ctx, config.databaseUrl, 2);
    const settings = {
      minEvents: config.minEvents,
      heldOutFraction: config.heldOutFraction,
      similarityTopK: config.similarityTopK,
      ...(config.version === undefined ? {} : { version: config.version }),
    };
    return {
      metrics: { port: config.metricsPort, checks: { postgres: postgresCheck(pool) } },
      parts: {
        async run() {
          const report = await runTraining(pool, settings, (line) => console.log(line));
          const started = performance.now();
          const deleted = await pruneSimilarity(pool, {
            keepVersions: config.similarityKeepVersions,
            batchRows: 5000,
          });
          reportPrune(ctx, { recs_item_similarity: deleted }, performance.now() - started);
          return report;
        },
      },
    };
  },
});

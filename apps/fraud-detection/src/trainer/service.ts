import { acquirePool } from '@streamkit/postgres';
import { defineService, postgresCheck, type ServiceContext } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { trainerConfigSpec } from './config.ts';
import { describeModel, ensureModel } from './ensure-model.ts';
import { runTraining } from './run-training.ts';

const log = (line: string) => console.log(line);

/** A job's Postgres pool (one connection may hold the model-init lock while the work uses others). */
async function trainerPool({
  config,
  logger,
  acquire,
}: ServiceContext<{ databaseUrl: string; metricsPort: number }>) {
  const pool: Pool = await acquirePool({ acquire, logger }, config.databaseUrl, { max: 3 });
  return { pool, metrics: { port: config.metricsPort, checks: { postgres: postgresCheck(pool) } } };
}

/**
 * The trainer job: history → features → model → evaluation → fraud_models. Its report lines go to
 * stdout.
 */
export const trainerJob = defineService({
  name: 'fraud-trainer',
  config: trainerConfigSpec,
  async start(ctx) {
    const { pool, metrics } = await trainerPool(ctx);
    return { metrics, parts: { run: () => runTraining(pool, ctx.config, log) } };
  },
});

/**
 * `--if-missing` (compose's fraud-model-init): trains only when no model is active, first writing
 * the generator's labelled history when there is none.
 */
export const modelInitJob = defineService({
  name: 'fraud-model-init',
  config: trainerConfigSpec,
  async start(ctx) {
    const { pool, metrics } = await trainerPool(ctx);
    const run = async () => {
      const started = performance.now();
      const { model, trained } = await ensureModel(pool, ctx.config, log);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(
        `model in use (${trained ? `trained in ${seconds} s` : 'already active'}): ${describeModel(model)}`,
      );
    };
    return { metrics, parts: { run } };
  },
});

/**
 * A trained model from the start: `pnpm demo fraud` and compose's `fraud-model-init` (the trainer
 * with --if-missing) run this before the detector starts. Without an active model it writes the
 * generator's labelled history (when the table is empty) and trains one; with one, it does nothing.
 * Under an advisory lock, so two init runs at once (a demo and compose on one database, two
 * replicas) train one model, not two.
 */
import { withAdvisoryLock } from '@streamkit/postgres';
import { describeError } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';
import { parseStoredModel } from '../detector/stored-model.ts';
import type { StoredModel } from '../domain/index.ts';
import { type GeneratorCommand, parseGeneratorArgs } from '../generator/cli-args.ts';
import { countHistory } from '../generator/history-store.ts';
import { runHistory } from '../generator/run-history.ts';
import { readActiveModel } from './model-store.ts';
import { runTraining, type TrainingJobSettings } from './run-training.ts';

export interface EnsuredModel {
  readonly model: StoredModel;
  /** false: the model was already there */
  readonly trained: boolean;
}

type HistoryCommand = Extract<GeneratorCommand, { mode: 'history' }>;

/** The history `node src/generator/main.ts history` writes with its defaults (seed 1, 2000 cards × 14 days). */
export function defaultHistory(): HistoryCommand {
  const command = parseGeneratorArgs(['history']);
  if (command.mode !== 'history') throw new Error('unreachable: the history command parsed as live');
  return command;
}

export async function ensureModel(
  pool: Pool,
  training: TrainingJobSettings,
  log: (line: string) => void,
  history: HistoryCommand = defaultHistory(),
): Promise<EnsuredModel> {
  await migrate(pool);
  return withAdvisoryLock(pool, 'streamkit.fraud.model-init', async () => {
    const active = await activeModel(pool, log);
    if (active !== undefined) {
      log(`model ${active.version} is active: nothing to train`);
      return { model: active, trained: false };
    }
    const { payments } = await countHistory(pool);
    if (payments === 0) {
      log('no active model and no labelled history: generating the history, then training');
      await runHistory(pool, history, log);
    } else {
      log(`no active model: training one on the ${payments} labelled payments of fraud_payment_history`);
    }
    const { model } = await runTraining(pool, { ...training, publish: true }, log);
    return { model, trained: true };
  });
}

/** The active model, if the detector could use it (an unusable one is reported and replaced). */
async function activeModel(pool: Pool, log: (line: string) => void): Promise<StoredModel | undefined> {
  const row = await readActiveModel(pool);
  if (row === undefined) return undefined;
  try {
    return parseStoredModel(row.version, row.model);
  } catch (error) {
    log(`the active model is unusable (${describeError(error)}): training a new one`);
    return undefined;
  }
}

/** One line for people: the model and its held-out figures. */
export function describeModel(model: StoredModel): string {
  const m = model.metrics;
  return `${model.version}: held-out ROC AUC ${m.rocAuc.toFixed(3)}, precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)} at threshold ${m.threshold.toFixed(3)} (trained on ${m.trainSize} payments, tested on the later ${m.testSize})`;
}

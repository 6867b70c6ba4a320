/** The trainer job without its process shell: history → features → model → evaluation → fraud_models. */
import { StreamkitError } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';
import { defaultRules } from '../domain/index.ts';
import { readHistory } from '../generator/history-store.ts';
import { buildDataset, type LabelledRecord } from './dataset.ts';
import { publishModel } from './model-store.ts';
import { formatTrainingReport } from './report.ts';
import { type TrainingResult, trainAndEvaluate } from './train.ts';

export interface TrainingJobSettings {
  readonly trainFraction: number;
  readonly l2: number;
  readonly epochs: number;
  /** refuse to publish a model whose held-out ROC AUC is below this */
  readonly minRocAuc: number;
  readonly publish: boolean;
}

// a progress line every this many epochs (≈ 1 s each on the demo's history)
const epochProgressEvery = 100;

/** The trained model is not good enough to publish (held-out ROC AUC below the bar). */
export class ModelRejectedError extends StreamkitError {}

export async function runTraining(
  pool: Pool,
  settings: TrainingJobSettings,
  log: (line: string) => void,
  clock: () => Date = () => new Date(),
): Promise<TrainingResult> {
  await migrate(pool);
  const records: LabelledRecord[] = [];
  for await (const row of readHistory(pool)) records.push(row);
  log(
    `read ${records.length} labelled payments from fraud_payment_history; building their features (rules and patterns replayed card by card)`,
  );
  const dataset = buildDataset(records, { rules: defaultRules });
  log(`training a logistic regression: up to ${settings.epochs} epochs`);
  const result = trainAndEvaluate(dataset, {
    trainFraction: settings.trainFraction,
    l2: settings.l2,
    epochs: settings.epochs,
    createdAt: clock(),
    onEpoch: (done, epochs) => {
      if (done % epochProgressEvery === 0 && done < epochs) log(`training: epoch ${done}/${epochs}`);
    },
  });
  log(formatTrainingReport(result));
  if (!(result.model.metrics.rocAuc >= settings.minRocAuc)) {
    throw new ModelRejectedError(
      `held-out ROC AUC ${result.model.metrics.rocAuc.toFixed(3)} is below the minimum ${settings.minRocAuc}: model not published`,
    );
  }
  if (settings.publish) {
    await publishModel(pool, result.model);
    log(
      `published ${result.model.version} to fraud_models (the detector reloads it on NOTIFY fraud_model_published)`,
    );
  }
  return result;
}

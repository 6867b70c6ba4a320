/** Train on the earlier part, choose the threshold there, evaluate on the later part. */
import { StreamkitError } from '@streamkit/runtime';
import type { StoredModel } from '../domain/index.ts';
import {
  type Confusion,
  chooseThreshold,
  confusionAt,
  createScoringModel,
  evaluateScores,
  type TrainingOptions,
  trainLogisticRegression,
} from '../domain/model/index.ts';
import { type Dataset, splitByTime } from './dataset.ts';

/** History that cannot train a model (too few rows or no fraud in a split). */
export class TrainingDataError extends StreamkitError {}

export interface TrainingResult {
  /** metrics are those of the held-out (later) split */
  readonly model: StoredModel;
  readonly testConfusion: Confusion;
  readonly trainPositives: number;
  readonly testPositives: number;
}

export function trainAndEvaluate(
  dataset: Dataset,
  options: Omit<TrainingOptions, 'featureNames'> & { trainFraction?: number } = {},
): TrainingResult {
  const { train, test } = splitByTime(dataset, options.trainFraction ?? 0.8);
  const count = (d: Dataset) => d.labels.reduce((s, v) => s + v, 0);
  const trainPositives = count(train);
  const testPositives = count(test);
  if (trainPositives === 0 || test.rows.length === 0 || testPositives === 0) {
    throw new TrainingDataError(
      `need fraud in both splits: train has ${trainPositives} of ${train.rows.length}, test ${testPositives} of ${test.rows.length}; generate more history`,
    );
  }
  const trained = trainLogisticRegression(train.rows, train.labels, {
    ...options,
    featureNames: dataset.featureNames,
  });
  const scorer = createScoringModel(trained);
  const score = (d: Dataset) =>
    Float64Array.from(d.rows, (values) => scorer.score({ names: dataset.featureNames, values }));
  const trainScores = score(train);
  const threshold = chooseThreshold(trainScores, train.labels);
  const testScores = score(test);
  const heldOut = evaluateScores(testScores, test.labels, threshold);
  const model: StoredModel = {
    ...trained,
    metrics: { ...heldOut, trainSize: train.rows.length, testSize: test.rows.length },
  };
  return {
    model,
    testConfusion: confusionAt(testScores, test.labels, threshold),
    trainPositives,
    testPositives,
  };
}

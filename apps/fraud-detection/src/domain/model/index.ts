export { FeatureMismatchError, ModelError, TrainingInputError } from './errors.ts';
export {
  type GradientState,
  gradient,
  sigmoid,
  type TrainingOptions,
  trainLogisticRegression,
} from './logistic-regression.ts';
export {
  type Confusion,
  chooseThreshold,
  confusionAt,
  evaluateScores,
  type PrecisionRecall,
  precisionRecall,
  rocAuc,
} from './metrics.ts';
export { createScoringModel } from './scoring-model.ts';
export { fitStandardization, type Row, type Standardization, standardize } from './standardize.ts';
export { modelVersion } from './version.ts';

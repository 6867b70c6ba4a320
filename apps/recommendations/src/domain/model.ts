/** The candidate features the scoring model reads, in this order. */
export const FEATURE_NAMES = ['cooccurrence', 'categoryAffinity', 'popularity1h', 'popularity24h'] as const;
export type FeatureVector = readonly number[];

/**
 * A logistic-regression scoring model over standardized candidate features, trained offline by
 * the trainer and served by the recommender. Plain data: stored as JSON in recs_models.
 */
export interface ScoringModel {
  version: string;
  featureNames: readonly string[];
  means: readonly number[];
  stds: readonly number[];
  weights: readonly number[];
  bias: number;
}

export class ModelError extends Error {
  override name = 'ModelError';
}

/** Checks a model loaded from storage has the shape this code scores with. */
export function validateModel(model: ScoringModel): ScoringModel {
  const n = FEATURE_NAMES.length;
  if (model.featureNames.join(',') !== FEATURE_NAMES.join(',')) {
    throw new ModelError(
      `model ${model.version} has features [${model.featureNames}], expected [${FEATURE_NAMES}]`,
    );
  }
  for (const [name, list] of [
    ['means', model.means],
    ['stds', model.stds],
    ['weights', model.weights],
  ] as const) {
    if (list.length !== n || list.some((x) => !Number.isFinite(x))) {
      throw new ModelError(`model ${model.version}: ${name} must be ${n} finite numbers`);
    }
  }
  if (!Number.isFinite(model.bias)) throw new ModelError(`model ${model.version}: bias must be finite`);
  return model;
}

export function standardize(model: Pick<ScoringModel, 'means' | 'stds'>, x: FeatureVector): number[] {
  return x.map((v, i) => (v - (model.means[i] ?? 0)) / (model.stds[i] || 1));
}

export function score(model: ScoringModel, x: FeatureVector): number {
  // standardize + weighted sum as one loop, in the same order of operations (the same floats): it
  // runs for every candidate of every user, and the arrays of the two-step form were its garbage
  let z = model.bias;
  for (let i = 0; i < x.length; i++)
    z += (((x[i] as number) - (model.means[i] ?? 0)) / (model.stds[i] || 1)) * (model.weights[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** Contribution of each feature to the model's logit: what the "reason" of a recommendation names. */
export function contributions(model: ScoringModel, x: FeatureVector): number[] {
  return standardize(model, x).map((v, i) => v * (model.weights[i] ?? 0));
}

/** A model that needs no training (used before the first trained version exists). */
export function defaultModel(): ScoringModel {
  return {
    version: 'default-0',
    featureNames: [...FEATURE_NAMES],
    means: [0, 0, 0, 0],
    stds: [1, 1, 1, 1],
    weights: [1.5, 4, 0.3, 0.3],
    bias: -3,
  };
}

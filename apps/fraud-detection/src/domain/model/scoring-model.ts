import type { FeatureVector, ScoringModel, StoredModel } from '../contracts.ts';
import { FeatureMismatchError, ModelError } from './errors.ts';
import { sigmoid } from './logistic-regression.ts';

/**
 * A StoredModel ready to score: checks once per distinct feature-name list that the names and
 * their order are exactly those the model was trained with (a mismatch would silently score
 * garbage), then computes sigmoid(bias + Σ wⱼ·(xⱼ − meanⱼ)/stdⱼ).
 */
export function createScoringModel(stored: StoredModel): ScoringModel {
  const width = stored.featureNames.length;
  for (const [name, list] of [
    ['means', stored.means],
    ['stds', stored.stds],
    ['weights', stored.weights],
  ] as const) {
    if (list.length !== width)
      throw new ModelError(
        `model ${stored.version}: ${name} has ${list.length} values for ${width} features`,
      );
    if (list.some((v) => !Number.isFinite(v)))
      throw new ModelError(`model ${stored.version}: ${name} holds a non-finite value`);
  }
  if (stored.stds.some((s) => s <= 0))
    throw new ModelError(`model ${stored.version}: a standard deviation is not positive`);
  if (!Number.isFinite(stored.bias)) throw new ModelError(`model ${stored.version}: bias is not finite`);
  // fold the standardisation into the weights once: w'ⱼ = wⱼ/stdⱼ, b' = b − Σ w'ⱼ·meanⱼ
  const scaled = stored.weights.map((w, j) => w / (stored.stds[j] ?? 1));
  const bias = scaled.reduce((b, w, j) => b - w * (stored.means[j] ?? 0), stored.bias);
  const verified = new WeakSet<readonly string[]>();

  const check = (names: readonly string[]) => {
    if (verified.has(names)) return;
    const same = names.length === width && names.every((n, j) => n === stored.featureNames[j]);
    if (!same) {
      const missing = stored.featureNames.filter((n) => !names.includes(n));
      const extra = names.filter((n) => !stored.featureNames.includes(n));
      const detail =
        missing.length || extra.length
          ? `missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`
          : 'same names in another order';
      throw new FeatureMismatchError(`model ${stored.version} was trained on other features: ${detail}`);
    }
    verified.add(names);
  };

  return {
    version: stored.version,
    score(features: FeatureVector): number {
      check(features.names);
      let z = bias;
      for (let j = 0; j < width; j++) z += (scaled[j] ?? 0) * (features.values[j] ?? 0);
      return sigmoid(z);
    },
  };
}

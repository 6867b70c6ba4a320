import { describeError } from '@streamkit/runtime';
import type { ScoringModel, StoredModel } from '../domain/contracts.ts';
import { InvalidModelError } from './errors.ts';

/**
 * Checks a model row read from fraud_models before it is trusted: a malformed or incompatible
 * model is rejected (the previous one stays active) instead of scoring garbage.
 */
export function parseStoredModel(version: string, raw: unknown): StoredModel {
  const fail = (problem: string): never => {
    throw new InvalidModelError(version, problem);
  };
  if (typeof raw !== 'object' || raw === null) return fail('not an object');
  const m = raw as Record<string, unknown>;
  if (m.kind !== 'logistic_regression') fail(`unsupported kind ${JSON.stringify(m.kind)}`);
  const names = m.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    fail('featureNames must be a non-empty list of names');
  }
  const n = (names as unknown[]).length;
  for (const field of ['means', 'stds', 'weights'] as const) {
    const list = m[field];
    if (!Array.isArray(list) || list.length !== n || !list.every(Number.isFinite)) {
      fail(`${field} must hold ${n} finite numbers`);
    }
  }
  if (!Number.isFinite(m.bias)) fail('bias must be a finite number');
  return { ...(m as unknown as StoredModel), version };
}

/**
 * Builds the scoring model and scores an all-zero vector of the detector's features once, so a
 * model that cannot score them (another feature set or order, non-finite output) is rejected at
 * load time — never in the middle of a batch.
 */
export function loadScoringModel(
  stored: StoredModel,
  featureNames: readonly string[],
  createModel: (stored: StoredModel) => ScoringModel,
): ScoringModel {
  let model: ScoringModel;
  let probe: number;
  try {
    model = createModel(stored);
    probe = model.score({ names: featureNames, values: new Float64Array(featureNames.length) });
  } catch (error) {
    throw new InvalidModelError(stored.version, describeError(error));
  }
  if (!Number.isFinite(probe)) throw new InvalidModelError(stored.version, `scores ${probe}`);
  return model;
}

import { describe, expect, it } from 'vitest';
import type { StoredModel } from '../domain/contracts.ts';
import { createScoringModel } from '../domain/model/scoring-model.ts';
import { InvalidModelError } from './errors.ts';
import { loadScoringModel, parseStoredModel } from './stored-model.ts';

const stored: StoredModel = {
  version: 'v1',
  kind: 'logistic_regression',
  featureNames: ['a', 'b'],
  means: [1, 10],
  stds: [1, 2],
  weights: [3, 0.5],
  bias: -1,
  metrics: { precision: 1, recall: 1, rocAuc: 1, threshold: 0.5, trainSize: 1, testSize: 1 },
  createdAt: '2026-01-01T00:00:00Z',
};

describe('stored models', () => {
  it('loads a model that scores the detector features', () => {
    const model = loadScoringModel(stored, ['a', 'b'], createScoringModel);
    // a = 1 → 0; b = 14 → (14 − 10) / 2 · 0.5 = 1; z = −1 + 1 = 0
    expect(model.score({ names: ['a', 'b'], values: Float64Array.from([1, 14]) })).toBeCloseTo(0.5, 12);
  });

  it('rejects at load time a model trained on other features', () => {
    expect(() => loadScoringModel(stored, ['a', 'c'], createScoringModel)).toThrow(InvalidModelError);
    expect(() => loadScoringModel(stored, ['b', 'a'], createScoringModel)).toThrow(/model v1 is unusable/);
  });

  it('rejects a model whose score is not a number', () => {
    const broken = () => ({ version: 'v1', score: () => Number.NaN });
    expect(() => loadScoringModel(stored, ['a', 'b'], broken)).toThrow(/scores NaN/);
  });

  it('parses a stored row, taking the version from its column', () => {
    const { version: _, ...json } = stored;
    expect(parseStoredModel('v7', JSON.parse(JSON.stringify(json)))).toMatchObject({
      version: 'v7',
      bias: -1,
    });
  });

  it.each([
    ['not an object', null, /not an object/],
    ['another kind', { ...stored, kind: 'forest' }, /unsupported kind "forest"/],
    ['lengths that disagree', { ...stored, weights: [1] }, /weights must hold 2 finite numbers/],
    ['a non-finite bias', { ...stored, bias: null }, /bias must be a finite number/],
  ])('rejects %s', (_, raw, message) => {
    expect(() => parseStoredModel('v1', raw)).toThrow(message);
  });
});

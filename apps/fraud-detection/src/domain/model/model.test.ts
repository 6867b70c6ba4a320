import { createRandom } from '@streamkit/random';
import { describe, expect, it } from 'vitest';
import {
  chooseThreshold,
  confusionAt,
  createScoringModel,
  FeatureMismatchError,
  gradient,
  precisionRecall,
  rocAuc,
  TrainingInputError,
  trainLogisticRegression,
} from './index.ts';

describe('rocAuc', () => {
  it('is 1 for perfectly separated scores, 0 when reversed, 0.5 for all ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts pairs exactly, ties as one half', () => {
    // pairs (pos, neg): (0.35 vs 0.1 ✓, 0.35 vs 0.4 ✗, 0.8 ✓ ✓) → 3/4
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // a tied pair counts 0.5: (0.4 vs 0.4) = 0.5, (0.4 vs 0.1) = 1 → 1.5/2
    expect(rocAuc([0.1, 0.4, 0.4], [0, 0, 1])).toBe(0.75);
  });

  it('is NaN without both classes', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
  });
});

describe('precision, recall, threshold', () => {
  it('counts the confusion matrix at a threshold (score ≥ threshold is flagged)', () => {
    const c = confusionAt([0.9, 0.7, 0.6, 0.2, 0.1], [1, 0, 1, 1, 0], 0.6);
    expect(c).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
    expect(precisionRecall(c)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
  });

  it('chooses the threshold with the best F1, and honours a minimum precision', () => {
    const scores = [0.95, 0.9, 0.8, 0.7, 0.3, 0.2];
    const labels = [1, 1, 0, 1, 0, 0];
    // cut at 0.7: tp 3, fp 1 → F1 0.857; cut at 0.9: tp 2, fp 0 → F1 0.8
    expect(chooseThreshold(scores, labels)).toBe(0.7);
    expect(chooseThreshold(scores, labels, { minPrecision: 1 })).toBe(0.9);
  });
});

describe('gradient', () => {
  it('matches a hand-computed step', () => {
    // x = [2, −1], y = [1, 0], w = 1, b = 0, l2 = 0.1
    // p = σ(2) = 0.880797, σ(−1) = 0.268941
    // ∂w = ((p₁−1)·2 + p₂·(−1)) / 2 + 0.1·1 = −0.153674;  ∂b = ((p₁−1) + p₂) / 2 = 0.074869
    const g = gradient(Float64Array.of(2, -1), [1, 0], [1, 1], { weights: Float64Array.of(1), bias: 0 }, 0.1);
    expect(g.weights[0]).toBeCloseTo(-0.153674, 5);
    expect(g.bias).toBeCloseTo(0.074869, 5);
  });

  it('is zero for the unregularised optimum of symmetric data', () => {
    const g = gradient(
      Float64Array.of(1, -1),
      [0.5, 0.5],
      [1, 1],
      { weights: Float64Array.of(0), bias: 0 },
      0,
    );
    expect(g.weights[0]).toBe(0);
    expect(g.bias).toBe(0);
  });
});

function noisyData(seed: number, n: number, signal: number, positiveRate: number) {
  const random = createRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = random.chance(positiveRate) ? 1 : 0;
    rows.push([random.normal() + signal * y, 10 + 5 * random.normal()]);
    labels.push(y);
  }
  return { rows, labels };
}

describe('trainLogisticRegression', () => {
  const names = ['signal', 'noise'];

  it('separates separable data (AUC 1) and the scoring model reproduces its scores', () => {
    const rows = [
      [-3, 1],
      [-2, 2],
      [-1, 1],
      [1, 2],
      [2, 1],
      [3, 2],
    ];
    const labels = [0, 0, 0, 1, 1, 1];
    const stored = trainLogisticRegression(rows, labels, {
      featureNames: names,
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(stored.metrics.rocAuc).toBe(1);
    expect(stored.weights[0]).toBeGreaterThan(1);
    const model = createScoringModel(stored);
    const scores = rows.map((r) => model.score({ names, values: Float64Array.from(r) }));
    expect(rocAuc(scores, labels)).toBe(1);
    expect(scores[5]).toBeGreaterThan(0.9);
    expect(scores[0]).toBeLessThan(0.1);
    expect(stored.version).toMatch(/^lr-20260101T000000Z-[0-9a-f]{8}$/);
  });

  it('is deterministic: the same data gives the same model', () => {
    const { rows, labels } = noisyData(7, 500, 2, 0.1);
    const a = trainLogisticRegression(rows, labels, { featureNames: names, createdAt: new Date(0) });
    const b = trainLogisticRegression(rows, labels, { featureNames: names, createdAt: new Date(0) });
    expect(b).toEqual(a);
  });

  it('keeps probabilities calibrated despite class weighting (prior correction)', () => {
    // no signal at all: the best model predicts the base rate (≈ 10 %) for everyone
    const { rows, labels } = noisyData(11, 4000, 0, 0.1);
    const stored = trainLogisticRegression(rows, labels, { featureNames: names });
    const model = createScoringModel(stored);
    const mean =
      rows.reduce((s, r) => s + model.score({ names, values: Float64Array.from(r) }), 0) / rows.length;
    const baseRate = labels.reduce((s, v) => s + v, 0) / labels.length;
    expect(Math.abs(mean - baseRate)).toBeLessThan(0.02);
  });

  it('learns a weak signal on noisy data with a held-out AUC well above chance', () => {
    const train = noisyData(1, 3000, 1.5, 0.05);
    const test = noisyData(2, 3000, 1.5, 0.05);
    const model = createScoringModel(
      trainLogisticRegression(train.rows, train.labels, { featureNames: names }),
    );
    const scores = test.rows.map((r) => model.score({ names, values: Float64Array.from(r) }));
    expect(rocAuc(scores, test.labels)).toBeGreaterThan(0.8);
  });

  it('rejects one-class data, mismatched lengths and nonsense options', () => {
    expect(() => trainLogisticRegression([[1, 2]], [0], { featureNames: names })).toThrow(TrainingInputError);
    expect(() => trainLogisticRegression([[1, 2]], [0, 1], { featureNames: names })).toThrow(
      /1 rows but 2 labels/,
    );
    expect(() =>
      trainLogisticRegression(
        [
          [1, 2],
          [2, 1],
        ],
        [0, 1],
        { featureNames: names, epochs: 0 },
      ),
    ).toThrow(/epochs/);
  });
});

describe('createScoringModel', () => {
  const stored = trainLogisticRegression(
    [
      [0, 1],
      [1, 0],
      [2, 1],
      [3, 0],
    ],
    [0, 0, 1, 1],
    { featureNames: ['a', 'b'] },
  );

  it('refuses features with other names or order, naming the difference', () => {
    const model = createScoringModel(stored);
    expect(() => model.score({ names: ['a', 'c'], values: Float64Array.of(1, 1) })).toThrow(
      FeatureMismatchError,
    );
    expect(() => model.score({ names: ['a', 'c'], values: Float64Array.of(1, 1) })).toThrow(
      /missing \[b\], unexpected \[c\]/,
    );
    expect(() => model.score({ names: ['b', 'a'], values: Float64Array.of(1, 1) })).toThrow(/another order/);
  });

  it('refuses a stored model whose arrays do not fit its features', () => {
    expect(() => createScoringModel({ ...stored, weights: [1] })).toThrow(
      /weights has 1 values for 2 features/,
    );
  });
});

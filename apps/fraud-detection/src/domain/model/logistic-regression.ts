/**
 * Logistic regression trained by full-batch gradient descent with momentum: standardised inputs,
 * L2 on the weights (not the bias), class weights against the imbalance (fraud is rare).
 * Deterministic: no random initialisation, no shuffling, same input → same model.
 */
import type { FeatureName, ModelMetrics, StoredModel } from '../contracts.ts';
import { TrainingInputError } from './errors.ts';
import { evaluateScores } from './metrics.ts';
import { fitStandardization, type Row, standardize } from './standardize.ts';
import { modelVersion } from './version.ts';

export interface TrainingOptions {
  readonly featureNames: readonly FeatureName[];
  /** L2 strength on the (standardised) weights; default 1e-3 */
  readonly l2?: number;
  /** default 0.5 (inputs are standardised, so one rate fits all features) */
  readonly learningRate?: number;
  /** heavy-ball momentum, default 0.9 */
  readonly momentum?: number;
  /** maximum passes over the data; default 500 */
  readonly epochs?: number;
  /** stop when the gradient's largest component falls below this; default 1e-6 */
  readonly tolerance?: number;
  /**
   * 'balanced' weighs each class by n / (2 · n_class) so the rare class is not ignored; the bias is
   * then shifted back by log(w₊/w₋) so probabilities stay calibrated to the real fraud rate
   * (prior correction). 'none' trains unweighted.
   */
  readonly classWeight?: 'balanced' | 'none';
  /** stamped into the model and its version; default now */
  readonly createdAt?: Date;
  /** told after each pass over the data (a progress line for people: training takes seconds) */
  readonly onEpoch?: (done: number, epochs: number) => void;
}

export interface GradientState {
  readonly weights: Float64Array;
  bias: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The gradient of the weighted mean log-loss plus (l2/2)·‖w‖² at the current parameters.
 * `x` is row-major (n × width), `sampleWeights` per row.
 */
export function gradient(
  x: Float64Array,
  y: ArrayLike<number>,
  sampleWeights: ArrayLike<number>,
  state: GradientState,
  l2: number,
): { weights: Float64Array; bias: number; loss: number } {
  const width = state.weights.length;
  const n = y.length;
  const gw = new Float64Array(width);
  let gb = 0;
  let totalWeight = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = state.bias;
    const base = i * width;
    for (let j = 0; j < width; j++) z += (state.weights[j] ?? 0) * (x[base + j] ?? 0);
    const p = sigmoid(z);
    const w = sampleWeights[i] ?? 1;
    const label = y[i] ?? 0;
    const err = w * (p - label);
    for (let j = 0; j < width; j++) gw[j] = (gw[j] ?? 0) + err * (x[base + j] ?? 0);
    gb += err;
    totalWeight += w;
    loss -= w * (label === 1 ? Math.log(Math.max(p, 1e-15)) : Math.log(Math.max(1 - p, 1e-15)));
  }
  let penalty = 0;
  for (let j = 0; j < width; j++) {
    const wj = state.weights[j] ?? 0;
    gw[j] = (gw[j] ?? 0) / totalWeight + l2 * wj;
    penalty += wj * wj;
  }
  return { weights: gw, bias: gb / totalWeight, loss: loss / totalWeight + (l2 / 2) * penalty };
}

export function trainLogisticRegression(
  rows: readonly Row[],
  labels: ArrayLike<number | boolean>,
  options: TrainingOptions,
): StoredModel {
  const width = options.featureNames.length;
  const y = Float64Array.from({ length: labels.length }, (_, i) => (labels[i] ? 1 : 0));
  checkInput(rows, y, options);
  const scaling = fitStandardization(rows, width);
  const x = standardize(rows, scaling);
  const positives = y.reduce((s, v) => s + v, 0);
  const negatives = y.length - positives;
  const balanced = (options.classWeight ?? 'balanced') === 'balanced';
  const wPos = balanced ? y.length / (2 * positives) : 1;
  const wNeg = balanced ? y.length / (2 * negatives) : 1;
  const sampleWeights = Float64Array.from(y, (v) => (v === 1 ? wPos : wNeg));

  const l2 = options.l2 ?? 1e-3;
  const rate = options.learningRate ?? 0.5;
  const momentum = options.momentum ?? 0.9;
  const tolerance = options.tolerance ?? 1e-6;
  const state: GradientState = { weights: new Float64Array(width), bias: 0 };
  const velocity = new Float64Array(width);
  let biasVelocity = 0;
  const epochs = options.epochs ?? 500;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const g = gradient(x, y, sampleWeights, state, l2);
    let largest = Math.abs(g.bias);
    for (let j = 0; j < width; j++) {
      const gj = g.weights[j] ?? 0;
      largest = Math.max(largest, Math.abs(gj));
      velocity[j] = momentum * (velocity[j] ?? 0) - rate * gj;
      state.weights[j] = (state.weights[j] ?? 0) + (velocity[j] ?? 0);
    }
    biasVelocity = momentum * biasVelocity - rate * g.bias;
    state.bias += biasVelocity;
    options.onEpoch?.(epoch + 1, epochs);
    if (largest < tolerance) break;
  }
  const bias = state.bias - Math.log(wPos / wNeg);
  const weights = Array.from(state.weights);
  const createdAt = (options.createdAt ?? new Date()).toISOString();
  const scores = rowsScores(x, width, weights, bias);
  const metrics: ModelMetrics = { ...evaluateScores(scores, y), trainSize: rows.length, testSize: 0 };
  return {
    version: modelVersion(createdAt, {
      featureNames: options.featureNames,
      weights,
      bias,
      means: scaling.means,
      stds: scaling.stds,
    }),
    kind: 'logistic_regression',
    featureNames: [...options.featureNames],
    means: scaling.means,
    stds: scaling.stds,
    weights,
    bias,
    metrics,
    createdAt,
  };
}

function rowsScores(x: Float64Array, width: number, weights: readonly number[], bias: number): Float64Array {
  const n = x.length / width;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = bias;
    for (let j = 0; j < width; j++) z += (weights[j] ?? 0) * (x[i * width + j] ?? 0);
    out[i] = sigmoid(z);
  }
  return out;
}

function checkInput(rows: readonly Row[], y: Float64Array, options: TrainingOptions): void {
  if (rows.length !== y.length) throw new TrainingInputError(`${rows.length} rows but ${y.length} labels`);
  if (options.featureNames.length === 0) throw new TrainingInputError('no feature names');
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === y.length)
    throw new TrainingInputError(`training needs both classes, got ${positives} positive of ${y.length}`);
  for (const [name, value, ok] of [
    ['l2', options.l2, (v: number) => v >= 0],
    ['learningRate', options.learningRate, (v: number) => v > 0],
    ['momentum', options.momentum, (v: number) => v >= 0 && v < 1],
    ['epochs', options.epochs, (v: number) => Number.isInteger(v) && v >= 1],
  ] as const) {
    if (value !== undefined && !ok(value)) throw new TrainingInputError(`${name} out of range: ${value}`);
  }
}

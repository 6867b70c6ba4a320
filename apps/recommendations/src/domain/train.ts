import type { UserEvent } from '@streamkit/schemas';
import { heldOutTargets } from './evaluation.ts';
import { FeatureState } from './feature-state.ts';
import { FEATURE_NAMES, type FeatureVector, type ScoringModel } from './model.ts';
import { offlineSignals, offlineUserView } from './offline-signals.ts';
import {
  candidateFeatures,
  candidates,
  defaultRecommendSettings,
  itemFacts,
  userFeatureInputs,
} from './recommend.ts';

export interface CatalogLookup {
  categoryOf(productId: string): string | undefined;
  inStock(productId: string): boolean;
}

export interface Example {
  x: FeatureVector;
  y: 0 | 1;
}

/** Replays events (sorted by time) into a fresh FeatureState, as one partition would. */
export function replay(
  events: readonly UserEvent[],
  catalog: CatalogLookup,
  allowedLatenessMs: number,
): FeatureState {
  const state = new FeatureState((p) => catalog.categoryOf(p), allowedLatenessMs);
  for (const e of events) state.apply(e);
  return state;
}

/**
 * Training examples, point-in-time correct: features from the events before `cutoffMs` only,
 * labels from what each user did after it. Every candidate the recommender would consider is an
 * example (positive when the user went on to interact with it).
 */
export function buildExamples(
  events: readonly UserEvent[],
  cutoffMs: number,
  catalog: CatalogLookup,
): Example[] {
  const before = events.filter((e) => Date.parse(e.ts) < cutoffMs);
  const after = events.filter((e) => Date.parse(e.ts) >= cutoffMs);
  const state = replay(before, catalog, Number.POSITIVE_INFINITY);
  const signals = offlineSignals(state, cutoffMs, catalog);
  const targets = heldOutTargets(after, (u) => state.users.get(u)?.purchased ?? new Set());
  const examples: Example[] = [];
  for (const [userId, relevant] of targets) {
    const user = offlineUserView(state, userId);
    if (user === undefined) continue;
    const inputs = userFeatureInputs(user, signals, defaultRecommendSettings);
    for (const p of candidates(user, signals, defaultRecommendSettings)) {
      if (user.purchased.has(p)) continue;
      examples.push({ x: candidateFeatures(inputs, itemFacts(signals, p), p), y: relevant.has(p) ? 1 : 0 });
    }
  }
  return examples;
}

export interface FitSettings {
  iterations: number;
  learningRate: number;
  l2: number;
}

/** Logistic regression by full-batch gradient descent on standardized features, classes balanced. */
export function fitScoringModel(
  examples: readonly Example[],
  version: string,
  settings: FitSettings = { iterations: 300, learningRate: 0.5, l2: 1e-3 },
): ScoringModel {
  const n = FEATURE_NAMES.length;
  if (examples.length === 0 || !examples.some((e) => e.y === 1) || !examples.some((e) => e.y === 0)) {
    throw new RangeError(`training needs positive and negative examples, got ${examples.length} examples`);
  }
  const means = Array.from({ length: n }, (_, i) => mean(examples.map((e) => e.x[i] ?? 0)));
  const stds = Array.from({ length: n }, (_, i) => {
    const m = means[i] ?? 0;
    return Math.sqrt(mean(examples.map((e) => ((e.x[i] ?? 0) - m) ** 2))) || 1;
  });
  const xs = examples.map((e) => e.x.map((v, i) => (v - (means[i] ?? 0)) / (stds[i] ?? 1)));
  const positives = examples.filter((e) => e.y === 1).length;
  // balance the classes: positives are rare among candidates
  const weightOf = (y: number) =>
    y === 1 ? examples.length / (2 * positives) : examples.length / (2 * (examples.length - positives));
  const weights = new Array<number>(n).fill(0);
  let bias = 0;
  for (let it = 0; it < settings.iterations; it++) {
    const grad = new Array<number>(n).fill(0);
    let gradBias = 0;
    examples.forEach((e, k) => {
      const x = xs[k] as number[];
      const z = x.reduce((s, v, i) => s + v * (weights[i] ?? 0), bias);
      const error = (1 / (1 + Math.exp(-z)) - e.y) * weightOf(e.y);
      for (let i = 0; i < n; i++) grad[i] = (grad[i] ?? 0) + error * (x[i] ?? 0);
      gradBias += error;
    });
    for (let i = 0; i < n; i++) {
      weights[i] =
        (weights[i] ?? 0) -
        settings.learningRate * ((grad[i] ?? 0) / examples.length + settings.l2 * (weights[i] ?? 0));
    }
    bias -= (settings.learningRate * gradBias) / examples.length;
  }
  return { version, featureNames: [...FEATURE_NAMES], means, stds, weights, bias };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * The contracts between the fraud pipeline's parts. The detector (online) and the trainer and
 * quality command (offline) share one implementation of each, so features never drift between
 * training and serving.
 */
import type { Payment, PaymentDecision } from '@streamkit/schemas';

/** Names of the model's numeric inputs, in a fixed order (the model stores the order it was trained with). */
export type FeatureName = string;

/** One payment's features, computed from the card's state BEFORE the payment and the payment itself. */
export interface FeatureVector {
  readonly names: readonly FeatureName[];
  readonly values: Float64Array;
}

/** A complex-event pattern that matched this payment (e.g. card testing), with a human reason. */
export interface PatternMatch {
  readonly pattern: 'card_testing' | 'impossible_travel' | 'velocity_burst' | 'high_risk_mcc_first_use';
  readonly reason: string;
}

/** A trained model the detector scores with: probability of fraud in [0, 1]. */
export interface ScoringModel {
  readonly version: string;
  score(features: FeatureVector): number;
}

/** The model as stored in Postgres (fraud_models) and produced by the trainer. */
export interface StoredModel {
  readonly version: string;
  readonly kind: 'logistic_regression';
  readonly featureNames: readonly FeatureName[];
  /** Standardization learnt on the training split, applied before the weights. */
  readonly means: readonly number[];
  readonly stds: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
  readonly metrics: ModelMetrics;
  readonly createdAt: string;
}

export interface ModelMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly rocAuc: number;
  readonly threshold: number;
  readonly trainSize: number;
  readonly testSize: number;
}

/** What the decision engine needs for one payment; the engine itself is pure. */
export interface DecisionInput {
  readonly payment: Payment;
  readonly features: FeatureVector;
  readonly patterns: readonly PatternMatch[];
}

export type Decision = PaymentDecision['decision'];

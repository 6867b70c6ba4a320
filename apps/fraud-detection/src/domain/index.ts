/** The fraud domain: pure per-card state, patterns, features, rules and decisions (no I/O). */

export {
  type AmountStats,
  type ApplyOptions,
  type ApplyResult,
  addAmount,
  amountStdDev,
  applyPayment,
  type CardState,
  type CardStateLimits,
  defaultCardStateLimits,
  emptyCardState,
  hasSeenPayment,
  homeCountry,
  isLate,
  LONGEST_WINDOW_MS,
  paymentTimeMs,
  type RecentPayment,
} from './card-state.ts';
export { decodeCardState, encodeCardState, restoreCardState } from './card-state-codec.ts';
export type {
  Decision,
  DecisionInput,
  FeatureName,
  FeatureVector,
  ModelMetrics,
  PatternMatch,
  ScoringModel,
  StoredModel,
} from './contracts.ts';
export { formatAmount, minorUnitExponent, toEur, toMajorUnits } from './currency.ts';
export { COUNTRY_CENTROIDS } from './data/country-centroids.ts';
export { COUNTRY_EXTENTS_KM, DEFAULT_EXTENT_KM } from './data/country-extents.ts';
export { UNITS_PER_EUR } from './data/units-per-eur.ts';
export {
  createDecisionEngine,
  type DecisionEngine,
  type DecisionEngineOptions,
  type DecisionOutcome,
  type DecisionThresholds,
  defaultThresholds,
  NO_MODEL_VERSION,
  validateThresholds,
} from './decide.ts';
export {
  computeFeatures,
  FEATURE_INDEX,
  FEATURE_NAMES,
  featureValue,
  type KnownFeatureName,
  MAX_TRAVEL_SPEED_KMH,
} from './features.ts';
export {
  countryCentroid,
  countryDistanceKm,
  distanceKm,
  type LatLon,
  minTravelDistanceKm,
  travelSpeedKmh,
} from './geo.ts';
export {
  createOfflineDetector,
  type OfflineDecision,
  type OfflineDetector,
  type OfflineDetectorOptions,
} from './offline-detector.ts';
export { detectPatterns, PATTERN_NAMES } from './patterns/detect.ts';
export {
  type CardTestingSettings,
  type CountLimit,
  defaultPatternSettings,
  HIGH_RISK_MCCS,
  type HighRiskMccSettings,
  type ImpossibleTravelSettings,
  type PatternSettings,
  type VelocityBurstSettings,
  validatePatternSettings,
} from './patterns/settings.ts';
export { defaultRules } from './rules/defaults.ts';
export { evaluateCondition, evaluateRules } from './rules/evaluate.ts';
export { type ParsedRules, parseRule, parseRules, type RuleParseResult, sortRules } from './rules/parse.ts';
export type { ComparisonOp, Condition, PaymentField, Rule, RuleAction } from './rules/types.ts';
export { DEFAULT_ALLOWED_LATENESS_MS, decidePayment, type StepOptions, type StepResult } from './step.ts';
export { ONE_HOUR_MS, ONE_MINUTE_MS, paymentsInWindow, velocity, type WindowTotals } from './velocity.ts';

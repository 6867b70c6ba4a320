/**
 * The model's inputs, computed from the card's state BEFORE the payment and the payment itself.
 * The detector (online) and the trainer (offline) both call exactly this function, so there is no
 * train/serve skew. Velocity features count the current payment too.
 */
import type { Payment } from '@streamkit/schemas';
import type { CardState } from './card-state.ts';
import type { FeatureVector, PatternMatch } from './contracts.ts';
import { minTravelDistanceKm } from './geo.ts';
import { type PaymentContext, paymentContext } from './patterns/context.ts';
import { isHighRiskMcc } from './patterns/high-risk-mcc.ts';
import { previousOtherCountry } from './patterns/impossible-travel.ts';
import { defaultPatternSettings, type PatternSettings } from './patterns/settings.ts';
import { ONE_HOUR_MS, ONE_MINUTE_MS, paymentsInWindow } from './velocity.ts';

/** The fixed order of the features; a stored model records the order it was trained with. */
export const FEATURE_NAMES = Object.freeze([
  'log_amount',
  'amount_zscore',
  'count_1m',
  'log_sum_1m',
  'count_1h',
  'log_sum_1h',
  'tiny_count_10m',
  'distinct_countries_1h',
  'travel_speed_kmh',
  'new_country',
  'new_merchant',
  'new_device',
  'high_risk_mcc',
  'hour_sin',
  'hour_cos',
  'log_card_payments',
  'log_card_age_hours',
  'pattern_card_testing',
  'pattern_impossible_travel',
  'pattern_velocity_burst',
  'pattern_high_risk_mcc_first_use',
] as const);

export type KnownFeatureName = (typeof FEATURE_NAMES)[number];

/** Name → position in FEATURE_NAMES. */
export const FEATURE_INDEX: Readonly<Record<KnownFeatureName, number>> = Object.freeze(
  Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, i])) as Record<KnownFeatureName, number>,
);

/** Caps keep features finite and bounded: a first payment abroad 1 s after home is "very fast", not ∞. */
export const MAX_TRAVEL_SPEED_KMH = 20_000;
const MAX_ZSCORE = 10;
const MAX_CARD_AGE_HOURS = 24 * 365 * 10;
const TINY_WINDOW_MS = 10 * 60_000;

export function computeFeatures(
  state: CardState,
  payment: Payment | PaymentContext,
  patterns: readonly PatternMatch[],
  settings: PatternSettings = defaultPatternSettings,
): FeatureVector {
  const ctx = 'payment' in payment ? payment : paymentContext(payment);
  const { tsMs, amountEur } = ctx;
  const p = ctx.payment;
  const logAmount = Math.log1p(amountEur);

  const values = new Float64Array(FEATURE_NAMES.length);
  const set = (name: KnownFeatureName, value: number) => {
    values[FEATURE_INDEX[name]] = Number.isFinite(value) ? value : 0;
  };

  set('log_amount', logAmount);
  set('amount_zscore', amountZScore(state, logAmount));

  let count1m = 1;
  let sum1m = amountEur;
  let tiny = amountEur <= settings.cardTesting.tinyAmountEur ? 1 : 0;
  const countries = new Set<string>([p.country]);
  const hour = paymentsInWindow(state, tsMs, ONE_HOUR_MS);
  let sum1h = amountEur;
  for (const r of hour) {
    sum1h += r.amountEur;
    countries.add(r.country);
    if (r.ts > tsMs - ONE_MINUTE_MS) {
      count1m++;
      sum1m += r.amountEur;
    }
    if (r.ts > tsMs - TINY_WINDOW_MS && r.amountEur <= settings.cardTesting.tinyAmountEur) tiny++;
  }
  set('count_1m', count1m);
  set('log_sum_1m', Math.log1p(sum1m));
  set('count_1h', hour.length + 1);
  set('log_sum_1h', Math.log1p(sum1h));
  set('tiny_count_10m', tiny);
  set('distinct_countries_1h', countries.size);

  const previous = previousOtherCountry(state, p.country, tsMs);
  let speed = 0;
  if (previous !== null) {
    const hours = Math.max(tsMs - previous.ts, 60_000) / 3_600_000;
    speed = minTravelDistanceKm(previous.country, p.country) / hours;
  }
  set('travel_speed_kmh', Math.min(speed, MAX_TRAVEL_SPEED_KMH));

  // a country this card never paid in (0 for a card without history: everything is new to it)
  set('new_country', state.paymentCount > 0 && state.countryCounts[p.country] === undefined ? 1 : 0);
  set('new_merchant', state.knownMerchants.includes(p.merchantId) ? 0 : 1);
  // 0 without a device id (card present): only an online payment from an unseen device counts
  set('new_device', p.deviceId !== undefined && !state.knownDevices.includes(p.deviceId) ? 1 : 0);
  set('high_risk_mcc', isHighRiskMcc(p.mcc, settings.highRiskMcc) ? 1 : 0);
  const hourOfDay = (tsMs % 86_400_000) / 3_600_000;
  set('hour_sin', Math.sin((2 * Math.PI * hourOfDay) / 24));
  set('hour_cos', Math.cos((2 * Math.PI * hourOfDay) / 24));
  set('log_card_payments', Math.log1p(state.paymentCount));
  const ageHours = state.firstSeenMs === null ? 0 : Math.max(0, tsMs - state.firstSeenMs) / 3_600_000;
  set('log_card_age_hours', Math.log1p(Math.min(ageHours, MAX_CARD_AGE_HOURS)));

  for (const m of patterns) set(`pattern_${m.pattern}`, 1);
  return { names: FEATURE_NAMES, values };
}

/** A feature by name, for rules and reasons; undefined for a name the vector does not have. */
export function featureValue(
  features: { names: readonly string[]; values: Float64Array },
  name: string,
): number | undefined {
  const i =
    features.names === FEATURE_NAMES ? FEATURE_INDEX[name as KnownFeatureName] : features.names.indexOf(name);
  return i === undefined || i < 0 ? undefined : features.values[i];
}

/** Prior for the spread of a card's log amounts, weighted as PRIOR_WEIGHT payments: few payments say little about spread. */
const PRIOR_LOG_STD = 1;
const PRIOR_WEIGHT = 3;

/** How unusual the amount is for this card: z-score in log space with a shrunk spread, clamped; 0 for a new card. */
export function amountZScore(state: CardState, logAmount: number): number {
  const { count, mean, m2 } = state.amountStats;
  if (count === 0) return 0;
  const std = Math.sqrt((m2 + PRIOR_WEIGHT * PRIOR_LOG_STD ** 2) / (count - 1 + PRIOR_WEIGHT));
  return clamp((logAmount - mean) / std, -MAX_ZSCORE, MAX_ZSCORE);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(x, hi));
}

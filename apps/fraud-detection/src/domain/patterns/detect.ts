/** Complex-event detection over event time: every pattern against the card's state BEFORE the payment. */
import type { Payment } from '@streamkit/schemas';
import type { CardState } from '../card-state.ts';
import type { PatternMatch } from '../contracts.ts';
import { detectCardTesting } from './card-testing.ts';
import { type PaymentContext, paymentContext } from './context.ts';
import { detectHighRiskMccFirstUse } from './high-risk-mcc.ts';
import { detectImpossibleTravel } from './impossible-travel.ts';
import { defaultPatternSettings, type PatternSettings } from './settings.ts';
import { detectVelocityBurst } from './velocity-burst.ts';

export const PATTERN_NAMES: readonly PatternMatch['pattern'][] = Object.freeze([
  'card_testing',
  'impossible_travel',
  'velocity_burst',
  'high_risk_mcc_first_use',
]);

export function detectPatterns(
  state: CardState,
  payment: Payment | PaymentContext,
  settings: PatternSettings = defaultPatternSettings,
): PatternMatch[] {
  const ctx = 'payment' in payment ? payment : paymentContext(payment);
  const matches: PatternMatch[] = [];
  const add = (m: PatternMatch | null) => {
    if (m !== null) matches.push(m);
  };
  add(detectCardTesting(state, ctx, settings.cardTesting));
  add(detectImpossibleTravel(state, ctx, settings.impossibleTravel));
  add(detectVelocityBurst(state, ctx, settings.velocityBurst));
  add(detectHighRiskMccFirstUse(state, ctx, settings.highRiskMcc));
  return matches;
}

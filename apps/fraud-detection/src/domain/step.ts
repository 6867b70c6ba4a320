/**
 * One payment, start to finish, as both the detector service (online, state from Redis) and the
 * offline detector (trainer, quality command) run it: patterns and features over the state BEFORE
 * the payment, the decision, then the state AFTER.
 */
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { applyPayment, type CardState, type CardStateLimits } from './card-state.ts';
import type { FeatureVector, PatternMatch } from './contracts.ts';
import type { DecisionEngine } from './decide.ts';
import { computeFeatures } from './features.ts';
import { paymentContext } from './patterns/context.ts';
import { detectPatterns } from './patterns/detect.ts';
import { defaultPatternSettings, type PatternSettings } from './patterns/settings.ts';

/** Payments may arrive this much behind the card's newest one and still count in the windows. */
export const DEFAULT_ALLOWED_LATENESS_MS = 5 * 60_000;

export interface StepOptions {
  readonly patternSettings?: PatternSettings;
  readonly allowedLatenessMs?: number;
  readonly limits?: CardStateLimits;
  /** decidedAt; a clock so tests and offline runs are deterministic */
  readonly now?: () => Date;
}

export interface StepResult {
  /** write back when `duplicate` is false; on a duplicate it is `stateBefore` itself */
  readonly stateAfter: CardState;
  readonly decision: PaymentDecision;
  readonly features: FeatureVector;
  readonly patterns: readonly PatternMatch[];
  readonly applied: boolean;
  readonly late: boolean;
  /**
   * The paymentId was already applied to this card. Its decision here is recomputed against a state
   * that already contains it; the detector should re-emit the decision it stored the first time.
   */
  readonly duplicate: boolean;
}

export function decidePayment(
  stateBefore: CardState,
  payment: Payment,
  engine: DecisionEngine,
  options: StepOptions = {},
): StepResult {
  const settings = options.patternSettings ?? defaultPatternSettings;
  const ctx = paymentContext(payment);
  const patterns = detectPatterns(stateBefore, ctx, settings);
  const features = computeFeatures(stateBefore, ctx, patterns, settings);
  const outcome = engine.decide({ payment, features, patterns });
  const applied = applyPayment(stateBefore, payment, {
    allowedLatenessMs: options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const decidedAt = (options.now?.() ?? new Date()).toISOString();
  return {
    stateAfter: applied.state,
    decision: {
      paymentId: payment.paymentId,
      cardId: payment.cardId,
      decision: outcome.decision,
      score: outcome.score,
      reasons: outcome.reasons,
      ruleIds: outcome.ruleIds,
      modelVersion: outcome.modelVersion,
      decidedAt,
      paymentTs: payment.ts,
    },
    features,
    patterns,
    applied: applied.applied,
    late: applied.late,
    duplicate: applied.duplicate,
  };
}

/**
 * The detector's per-payment step with card states in memory: for the trainer (features of
 * historical payments, computed exactly as online) and the quality command (decisions over a stream).
 */
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { type CardState, emptyCardState } from './card-state.ts';
import type { FeatureVector, PatternMatch, ScoringModel } from './contracts.ts';
import { createDecisionEngine, type DecisionThresholds } from './decide.ts';
import { type PatternSettings, validatePatternSettings } from './patterns/settings.ts';
import type { Rule } from './rules/types.ts';
import { decidePayment } from './step.ts';

export interface OfflineDetectorOptions {
  readonly rules: readonly Rule[];
  readonly model: ScoringModel | null;
  readonly thresholds?: DecisionThresholds;
  readonly patternSettings?: PatternSettings;
  readonly allowedLatenessMs?: number;
  /** decidedAt clock; defaults to the payment's own ts so offline runs are reproducible */
  readonly now?: () => Date;
}

export type OfflineDecision = PaymentDecision & {
  readonly features: FeatureVector;
  readonly patterns: readonly PatternMatch[];
  readonly late: boolean;
  readonly duplicate: boolean;
};

export interface OfflineDetector {
  process(payment: Payment): OfflineDecision;
  /** the card's current state (a fresh empty one for an unknown card) */
  cardState(cardId: string): CardState;
  readonly cardCount: number;
}

export function createOfflineDetector(options: OfflineDetectorOptions): OfflineDetector {
  const engine = createDecisionEngine({
    rules: options.rules,
    model: options.model,
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
  });
  const patternSettings =
    options.patternSettings === undefined ? undefined : validatePatternSettings(options.patternSettings);
  const states = new Map<string, CardState>();
  return {
    process(payment: Payment): OfflineDecision {
      const before = states.get(payment.cardId) ?? emptyCardState();
      const result = decidePayment(before, payment, engine, {
        ...(patternSettings === undefined ? {} : { patternSettings }),
        ...(options.allowedLatenessMs === undefined ? {} : { allowedLatenessMs: options.allowedLatenessMs }),
        now: options.now ?? (() => new Date(payment.ts)),
      });
      if (!result.duplicate) states.set(payment.cardId, result.stateAfter);
      return {
        ...result.decision,
        features: result.features,
        patterns: result.patterns,
        late: result.late,
        duplicate: result.duplicate,
      };
    },
    cardState: (cardId) => states.get(cardId) ?? emptyCardState(),
    get cardCount() {
      return states.size;
    },
  };
}

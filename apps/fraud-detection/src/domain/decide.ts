/**
 * The decision engine: rules and the model's probability combined into one score and a decision.
 *
 * Score = noisy-OR of the independent signals: 1 − (1 − p_model) · Π (1 − rule.score) over the
 * matched rules. Each signal alone gives at least its own score; agreeing signals reinforce each
 * other; the result stays in [0, 1]. Decision: any matched `decline` rule or score ≥ decline
 * threshold → decline; else any matched `review` rule or score ≥ review threshold → review; else
 * approve. `flag` rules only add their score and reason.
 */
import type { Decision, DecisionInput, ScoringModel } from './contracts.ts';
import { evaluateRules } from './rules/evaluate.ts';
import { sortRules } from './rules/parse.ts';
import type { Rule } from './rules/types.ts';

export interface DecisionThresholds {
  readonly review: number;
  readonly decline: number;
}

export const defaultThresholds: DecisionThresholds = Object.freeze({ review: 0.5, decline: 0.9 });

export interface DecisionEngineOptions {
  readonly rules: readonly Rule[];
  /** null: no model published yet; rules and patterns decide alone (modelVersion "none") */
  readonly model: ScoringModel | null;
  readonly thresholds?: DecisionThresholds;
}

export interface DecisionOutcome {
  readonly decision: Decision;
  readonly score: number;
  readonly reasons: string[];
  readonly ruleIds: string[];
  readonly modelVersion: string;
}

export interface DecisionEngine {
  readonly rules: readonly Rule[];
  readonly model: ScoringModel | null;
  readonly thresholds: DecisionThresholds;
  decide(input: DecisionInput): DecisionOutcome;
}

export const NO_MODEL_VERSION = 'none';
/** PaymentDecision allows 32 reasons of at most 200 characters. */
const MAX_REASONS = 32;
const MAX_REASON_LENGTH = 200;

export function validateThresholds(t: DecisionThresholds): DecisionThresholds {
  if (!(t.review > 0 && t.review <= 1 && t.decline > 0 && t.decline <= 1)) {
    throw new RangeError(
      `decision thresholds must be in (0, 1], got review=${t.review} decline=${t.decline}`,
    );
  }
  if (t.review > t.decline) {
    throw new RangeError(
      `the review threshold (${t.review}) must not exceed the decline threshold (${t.decline})`,
    );
  }
  return t;
}

export function createDecisionEngine(options: DecisionEngineOptions): DecisionEngine {
  const thresholds = validateThresholds(options.thresholds ?? defaultThresholds);
  const rules = sortRules(options.rules);
  const { model } = options;
  return {
    rules,
    model,
    thresholds,
    decide(input: DecisionInput): DecisionOutcome {
      const matched = evaluateRules(rules, input);
      const modelScore = model === null ? null : clampScore(model.score(input.features));
      let keep = 1 - (modelScore ?? 0);
      for (const rule of matched) keep *= 1 - rule.score;
      const score = clampScore(1 - keep);

      let decision: Decision = 'approve';
      if (matched.some((r) => r.action === 'decline') || score >= thresholds.decline) decision = 'decline';
      else if (matched.some((r) => r.action === 'review') || score >= thresholds.review) decision = 'review';

      const reasons = input.patterns.map((m) => m.reason);
      for (const rule of matched) reasons.push(`rule ${rule.id}: ${rule.description}`);
      if (modelScore !== null) reasons.push(`model score ${modelScore.toFixed(2)}`);
      return {
        decision,
        score,
        reasons: reasons.slice(0, MAX_REASONS).map(truncate),
        ruleIds: matched.slice(0, MAX_REASONS).map((r) => r.id),
        modelVersion: model?.version ?? NO_MODEL_VERSION,
      };
    },
  };
}

function clampScore(x: number): number {
  // a broken model (NaN) must not poison the decision: treat it as no evidence
  if (!Number.isFinite(x)) return 0;
  return Math.max(0, Math.min(x, 1));
}

function truncate(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

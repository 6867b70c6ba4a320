import type { ScoringModel } from '../domain/contracts.ts';
import { createDecisionEngine, type DecisionEngine, type DecisionThresholds } from '../domain/decide.ts';
import type { Rule } from '../domain/rules/types.ts';
import { decidePayment } from '../domain/step.ts';
import type { Decide } from './batch-work.ts';

export interface DeciderSettings {
  readonly thresholds: DecisionThresholds;
  readonly allowedLatenessMs: number;
  /** decidedAt, epoch ms */
  readonly now: () => number;
}

export interface Decider {
  /** The per-payment step (domain `decidePayment`) bound to one rule set and model. */
  forBatch(rules: readonly Rule[], model: ScoringModel | null): Decide;
}

/**
 * Binds the domain's per-payment step — the same code the trainer and the quality command run
 * offline — to the rules and model in use. The engine is rebuilt only when either changed.
 */
export function createDecider(settings: DeciderSettings): Decider {
  const now = () => new Date(settings.now());
  let cached: { rules: readonly Rule[]; model: ScoringModel | null; engine: DecisionEngine } | undefined;
  return {
    forBatch(rules, model) {
      if (cached?.rules !== rules || cached.model !== model) {
        cached = {
          rules,
          model,
          engine: createDecisionEngine({ rules, model, thresholds: settings.thresholds }),
        };
      }
      const { engine } = cached;
      return (stateBefore, payment) =>
        decidePayment(stateBefore, payment, engine, { allowedLatenessMs: settings.allowedLatenessMs, now });
    },
  };
}

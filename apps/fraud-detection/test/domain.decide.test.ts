// The decision engine (noisy-OR of model and rules, thresholds, reasons) and the per-payment step.
import { paymentDecisionValidator } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { emptyCardState } from '../src/domain/card-state.ts';
import type { DecisionInput, ScoringModel } from '../src/domain/contracts.ts';
import { createDecisionEngine } from '../src/domain/decide.ts';
import { computeFeatures } from '../src/domain/features.ts';
import { parseRule } from '../src/domain/rules/parse.ts';
import type { Rule } from '../src/domain/rules/types.ts';
import { decidePayment } from '../src/domain/step.ts';
import { MIN, pay, stateOf } from './domain.fixtures.ts';

function rule(
  id: string,
  action: Rule['action'],
  score: number,
  condition: unknown = { pattern: 'card_testing' },
): Rule {
  const r = parseRule({ id, description: `${id} description`, condition, score, action });
  if (!r.ok) throw new Error(r.message);
  return r.rule;
}

const model = (p: number, version = 'm-7'): ScoringModel => ({ version, score: () => p });

function input(patterns: DecisionInput['patterns'] = []): DecisionInput {
  const payment = pay(0);
  return { payment, features: computeFeatures(emptyCardState(), payment, patterns), patterns };
}
const cardTesting = [
  {
    pattern: 'card_testing' as const,
    reason: 'card testing: 5 payments ≤ 2.00 EUR in 4 min, then 950.00 EUR',
  },
];

describe('createDecisionEngine', () => {
  it('approves with score 0 and modelVersion "none" when nothing matches and there is no model', () => {
    const engine = createDecisionEngine({ rules: [rule('R-CT', 'decline', 0.9)], model: null });
    expect(engine.decide(input())).toEqual({
      decision: 'approve',
      score: 0,
      reasons: [],
      ruleIds: [],
      modelVersion: 'none',
    });
  });

  it('combines model and rule scores by noisy-OR', () => {
    const engine = createDecisionEngine({
      rules: [rule('R-A', 'flag', 0.3), rule('R-B', 'flag', 0.2)],
      model: model(0.5),
    });
    const out = engine.decide(input(cardTesting));
    expect(out.score).toBeCloseTo(1 - 0.5 * 0.7 * 0.8, 12);
    expect(out.decision).toBe('review'); // 0.72 ≥ 0.5
    expect(out.ruleIds).toEqual(['R-A', 'R-B']);
    expect(out.modelVersion).toBe('m-7');
  });

  it('declines on a matched decline rule whatever the score, reviews on a review rule', () => {
    expect(
      createDecisionEngine({ rules: [rule('R-D', 'decline', 0.1)], model: null }).decide(input(cardTesting))
        .decision,
    ).toBe('decline');
    expect(
      createDecisionEngine({ rules: [rule('R-R', 'review', 0.1)], model: null }).decide(input(cardTesting))
        .decision,
    ).toBe('review');
    expect(
      createDecisionEngine({ rules: [rule('R-F', 'flag', 0.1)], model: null }).decide(input(cardTesting))
        .decision,
    ).toBe('approve');
  });

  it('applies the thresholds to the score: review at ≥ review, decline at ≥ decline', () => {
    const thresholds = { review: 0.5, decline: 0.9 };
    const at = (p: number) =>
      createDecisionEngine({ rules: [], model: model(p), thresholds }).decide(input()).decision;
    expect([at(0.49), at(0.5), at(0.89), at(0.9)]).toEqual(['approve', 'review', 'review', 'decline']);
  });

  it('gives readable reasons: patterns, rules, model score', () => {
    const engine = createDecisionEngine({
      rules: [rule('R-CARD-TESTING', 'decline', 0.9)],
      model: model(0.912),
    });
    expect(engine.decide(input(cardTesting)).reasons).toEqual([
      'card testing: 5 payments ≤ 2.00 EUR in 4 min, then 950.00 EUR',
      'rule R-CARD-TESTING: R-CARD-TESTING description',
      'model score 0.91',
    ]);
  });

  it('treats a model that returns NaN as no evidence', () => {
    expect(createDecisionEngine({ rules: [], model: model(Number.NaN) }).decide(input())).toMatchObject({
      decision: 'approve',
      score: 0,
    });
  });

  it('rejects nonsense thresholds at construction', () => {
    expect(() =>
      createDecisionEngine({ rules: [], model: null, thresholds: { review: 0.9, decline: 0.5 } }),
    ).toThrow(/must not exceed/);
    expect(() =>
      createDecisionEngine({ rules: [], model: null, thresholds: { review: 0, decline: 2 } }),
    ).toThrow(/\(0, 1\]/);
  });
});

describe('decidePayment', () => {
  const engine = createDecisionEngine({ rules: [rule('R-CT', 'decline', 0.9)], model: null });
  const now = () => new Date('2026-03-02T10:05:00.000Z');

  it('decides on the state before and returns the state after, as a valid PaymentDecision', () => {
    const probes = [0, 1, 2, 3].map((i) => pay(i * 30_000, { amount: 150 }));
    const before = stateOf(probes);
    const big = pay(3 * MIN, { amount: 90_000 });
    const r = decidePayment(before, big, engine, { now });
    expect(r.decision).toMatchObject({
      paymentId: big.paymentId,
      cardId: 'card-1',
      decision: 'decline',
      paymentTs: big.ts,
      decidedAt: '2026-03-02T10:05:00.000Z',
    });
    expect(paymentDecisionValidator.validate(r.decision)).toEqual({ ok: true, value: r.decision });
    expect(r).toMatchObject({ applied: true, late: false, duplicate: false });
    expect(r.stateAfter.recent).toHaveLength(5);
    expect(before.recent).toHaveLength(4); // pure: the input state is untouched
  });

  it('reports a replayed paymentId as a duplicate and leaves the state as it was', () => {
    const p = pay(0);
    const first = decidePayment(emptyCardState(), p, engine, { now });
    const again = decidePayment(first.stateAfter, p, engine, { now });
    expect(again.duplicate).toBe(true);
    expect(again.stateAfter).toBe(first.stateAfter);
  });

  it('decides a late payment without adding it to the windows', () => {
    const state = stateOf([pay(0), pay(20 * MIN)]);
    const r = decidePayment(state, pay(MIN), engine, { now, allowedLatenessMs: 5 * MIN });
    expect(r).toMatchObject({ applied: false, late: true });
    expect(r.decision.decision).toBe('approve');
    expect(r.stateAfter.recent).toHaveLength(2);
  });
});

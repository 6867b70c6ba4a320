// Rules as data: parsing names the bad part; evaluation over features, patterns and fields.
import { describe, expect, it } from 'vitest';
import { emptyCardState } from '../src/domain/card-state.ts';
import type { DecisionInput } from '../src/domain/contracts.ts';
import { computeFeatures } from '../src/domain/features.ts';
import { defaultRules } from '../src/domain/rules/defaults.ts';
import { evaluateRules } from '../src/domain/rules/evaluate.ts';
import { parseRule, parseRules } from '../src/domain/rules/parse.ts';
import type { Rule } from '../src/domain/rules/types.ts';
import { pay } from './domain.fixtures.ts';

const base = { id: 'R-1', description: 'test rule', score: 0.5, action: 'review' };

function input(
  overrides: Partial<DecisionInput> & { amount?: number; country?: 'DE' | 'KP' } = {},
): DecisionInput {
  const payment = pay(0, { amount: overrides.amount ?? 2500, country: overrides.country ?? 'DE' });
  return {
    payment,
    features: overrides.features ?? computeFeatures(emptyCardState(), payment, []),
    patterns: overrides.patterns ?? [],
  };
}

function rule(condition: unknown, extra: Partial<Rule> = {}): Rule {
  const r = parseRule({ ...base, condition, ...extra });
  if (!r.ok) throw new Error(r.message);
  return r.rule;
}

describe('parseRule', () => {
  it('accepts every default rule and defaults enabled/priority', () => {
    for (const r of defaultRules) expect(parseRule(r)).toEqual({ ok: true, rule: r });
    expect(parseRule({ ...base, condition: { pattern: 'card_testing' } })).toMatchObject({
      ok: true,
      rule: { enabled: true, priority: 100 },
    });
  });

  it('accepts a database row with extra columns', () => {
    const row = {
      ...base,
      condition: { pattern: 'velocity_burst' },
      enabled: false,
      priority: 5,
      updated_at: new Date(),
    };
    expect(parseRule(row)).toMatchObject({ ok: true, rule: { enabled: false, priority: 5 } });
  });

  it.each([
    [{ ...base, score: 1.5, condition: { pattern: 'card_testing' } }, 'score'],
    [{ ...base, action: 'block', condition: { pattern: 'card_testing' } }, 'action'],
    [
      { ...base, condition: { all: [{ pattern: 'card_testing' }, { feature: 'nope', op: '>', value: 1 }] } },
      'condition.all[1].feature',
    ],
    [{ ...base, condition: { any: [{ feature: 'count_1m', op: '=>', value: 1 }] } }, 'condition.any[0].op'],
    [{ ...base, condition: { not: { pattern: 'skimming' } } }, 'condition.not.pattern'],
    [{ ...base, condition: { field: 'country', op: 'in', value: 'DE' } }, 'condition.value'],
    [{ ...base, condition: { field: 'ip', op: '==', value: 'x' } }, 'condition.field'],
    [{ ...base, condition: { feature: 'count_1m', op: '>', value: '3' } }, 'condition.value'],
    [{ ...base, condition: { all: [] } }, 'condition.all'],
    [{ ...base, condition: { when: 1 } }, 'condition'],
  ])('rejects %j naming %s', (raw, field) => {
    const r = parseRule(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toContain(field);
    expect(r.message).toContain('invalid rule R-1');
  });

  it('rejects conditions nested absurdly deep', () => {
    let condition: unknown = { pattern: 'card_testing' };
    for (let i = 0; i < 40; i++) condition = { not: condition };
    const r = parseRule({ ...base, condition });
    expect(r.ok).toBe(false);
  });
});

describe('parseRules', () => {
  it('keeps the valid rules sorted by priority and reports the invalid and duplicate ones', () => {
    const { rules, rejected } = parseRules([
      { ...base, id: 'R-B', priority: 2, condition: { pattern: 'card_testing' } },
      { ...base, id: 'R-BAD', condition: { feature: 'nope', op: '>', value: 1 } },
      { ...base, id: 'R-A', priority: 1, condition: { pattern: 'card_testing' } },
      { ...base, id: 'R-A', priority: 3, condition: { pattern: 'card_testing' } },
      'not a rule',
    ]);
    expect(rules.map((r) => r.id)).toEqual(['R-A', 'R-B']);
    expect(rejected.map((r) => r.id)).toEqual(['R-BAD', 'R-A', null]);
    expect(rejected[0]?.message).toMatch(/condition\.feature/);
  });
});

describe('evaluateRules', () => {
  it('evaluates feature comparisons, patterns, fields and combinators', () => {
    const big = input({ amount: 500_000 }); // log_amount = ln(5001) ≈ 8.5
    expect(evaluateRules([rule({ feature: 'log_amount', op: '>', value: 8 })], big)).toHaveLength(1);
    expect(evaluateRules([rule({ feature: 'log_amount', op: '<=', value: 8 })], big)).toHaveLength(0);
    expect(evaluateRules([rule({ feature: 'count_1m', op: '==', value: 1 })], big)).toHaveLength(1);
    expect(evaluateRules([rule({ feature: 'count_1m', op: '!=', value: 1 })], big)).toHaveLength(0);

    const withPattern = input({ patterns: [{ pattern: 'card_testing', reason: 'x' }] });
    expect(evaluateRules([rule({ pattern: 'card_testing' })], withPattern)).toHaveLength(1);
    expect(evaluateRules([rule({ pattern: 'impossible_travel' })], withPattern)).toHaveLength(0);

    const kp = input({ country: 'KP' });
    expect(evaluateRules([rule({ field: 'country', op: 'in', value: ['KP', 'IR'] })], kp)).toHaveLength(1);
    expect(evaluateRules([rule({ field: 'country', op: 'not_in', value: ['KP'] })], kp)).toHaveLength(0);
    expect(evaluateRules([rule({ field: 'currency', op: '==', value: 'EUR' })], kp)).toHaveLength(1);
    expect(evaluateRules([rule({ field: 'mcc', op: '!=', value: '5411' })], kp)).toHaveLength(0);

    const combo = rule({
      all: [{ field: 'country', op: '==', value: 'KP' }, { not: { pattern: 'card_testing' } }],
    });
    expect(evaluateRules([combo], kp)).toHaveLength(1);
    expect(evaluateRules([combo], input())).toHaveLength(0);
    const either = rule({ any: [{ pattern: 'card_testing' }, { field: 'country', op: '==', value: 'KP' }] });
    expect(evaluateRules([either], input())).toHaveLength(0);
    expect(evaluateRules([either], withPattern)).toHaveLength(1);
  });

  it('skips disabled rules and compares a feature the vector lacks as false', () => {
    expect(
      evaluateRules(
        [rule({ pattern: 'card_testing' }, { enabled: false })],
        input({ patterns: [{ pattern: 'card_testing', reason: 'x' }] }),
      ),
    ).toEqual([]);
    const legacy = input({ features: { names: ['other'], values: new Float64Array([1]) } });
    expect(evaluateRules([rule({ feature: 'count_1m', op: '!=', value: 5 })], legacy)).toEqual([]);
  });
});

/** Evaluates rule conditions against one payment's features, pattern matches and fields. */
import type { DecisionInput } from '../contracts.ts';
import { featureValue } from '../features.ts';
import type { Condition, Rule } from './types.ts';

/** The enabled rules whose condition holds, in the given order (parseRules sorts by priority). */
export function evaluateRules(rules: readonly Rule[], input: DecisionInput): Rule[] {
  const matched: Rule[] = [];
  for (const rule of rules) if (rule.enabled && evaluateCondition(rule.condition, input)) matched.push(rule);
  return matched;
}

export function evaluateCondition(condition: Condition, input: DecisionInput): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, input));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, input));
  if ('not' in condition) return !evaluateCondition(condition.not, input);
  if ('pattern' in condition) return input.patterns.some((m) => m.pattern === condition.pattern);
  if ('feature' in condition) {
    const v = featureValue(input.features, condition.feature);
    // a feature the vector lacks compares false, whatever the operator
    if (v === undefined) return false;
    switch (condition.op) {
      case '>':
        return v > condition.value;
      case '>=':
        return v >= condition.value;
      case '<':
        return v < condition.value;
      case '<=':
        return v <= condition.value;
      case '==':
        return v === condition.value;
      case '!=':
        return v !== condition.value;
    }
  }
  const actual = input.payment[condition.field];
  switch (condition.op) {
    case '==':
      return actual === condition.value;
    case '!=':
      return actual !== condition.value;
    case 'in':
      return condition.value.includes(actual);
    case 'not_in':
      return !condition.value.includes(actual);
  }
}

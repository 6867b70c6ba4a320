/**
 * A rule is data, not code: stored in Postgres (fraud_rules), hot-reloaded by the detector. Its
 * condition is a small JSON expression language over features, pattern matches and payment fields.
 */
import type { PatternMatch } from '../contracts.ts';
import type { KnownFeatureName } from '../features.ts';

export type RuleAction = 'review' | 'decline' | 'flag';
export type ComparisonOp = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type PaymentField = 'country' | 'currency' | 'mcc' | 'merchantId';

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly feature: KnownFeatureName; readonly op: ComparisonOp; readonly value: number }
  | { readonly pattern: PatternMatch['pattern'] }
  | { readonly field: PaymentField; readonly op: '==' | '!='; readonly value: string }
  | { readonly field: PaymentField; readonly op: 'in' | 'not_in'; readonly value: readonly string[] };

export interface Rule {
  /** e.g. "R-CARD-TESTING" */
  readonly id: string;
  readonly description: string;
  readonly condition: Condition;
  /** contribution to the decision score when the rule matches, in [0, 1] */
  readonly score: number;
  /** decline/review force that decision; flag only adds its score and reason */
  readonly action: RuleAction;
  readonly enabled: boolean;
  /** lower runs (and is reported) first */
  readonly priority: number;
}

export const RULE_ACTIONS: readonly RuleAction[] = ['review', 'decline', 'flag'];
export const COMPARISON_OPS: readonly ComparisonOp[] = ['>', '>=', '<', '<=', '==', '!='];
export const PAYMENT_FIELDS: readonly PaymentField[] = ['country', 'currency', 'mcc', 'merchantId'];

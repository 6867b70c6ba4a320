/**
 * TypeBox schemas of a rule and of each condition form. The recursive structure is walked by
 * parse.ts node by node, so an error names the exact bad part ("condition.all[1].feature").
 */
import { compileValidator } from '@streamkit/schemas';
import Type from 'typebox';
import { FEATURE_NAMES } from '../features.ts';
import { PATTERN_NAMES } from '../patterns/detect.ts';
import { COMPARISON_OPS, PAYMENT_FIELDS, RULE_ACTIONS } from './types.ts';

const FieldName = Type.Enum([...PAYMENT_FIELDS], {
  errorMessage: `must be one of ${PAYMENT_FIELDS.join(', ')}`,
});

export const RuleHeaderSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      errorMessage: 'must be 1-64 letters, digits, ".", "_" or "-"',
    }),
    description: Type.String({ minLength: 1, maxLength: 200 }),
    condition: Type.Unknown(),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    action: Type.Enum([...RULE_ACTIONS], { errorMessage: `must be one of ${RULE_ACTIONS.join(', ')}` }),
    enabled: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  },
  // rows carry updated_at and the like: tolerated, not part of the rule
  { additionalProperties: true },
);

export const ListConditionSchema = (key: 'all' | 'any') =>
  Type.Object(
    { [key]: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 64 }) },
    { additionalProperties: false },
  );

export const FeatureConditionSchema = Type.Object(
  {
    feature: Type.Enum([...FEATURE_NAMES], { errorMessage: 'must be a name from FEATURE_NAMES' }),
    op: Type.Enum([...COMPARISON_OPS], { errorMessage: `must be one of ${COMPARISON_OPS.join(' ')}` }),
    value: Type.Number(),
  },
  { additionalProperties: false },
);

export const PatternConditionSchema = Type.Object(
  { pattern: Type.Enum([...PATTERN_NAMES], { errorMessage: `must be one of ${PATTERN_NAMES.join(', ')}` }) },
  { additionalProperties: false },
);

export const FieldEqualsConditionSchema = Type.Object(
  { field: FieldName, op: Type.Enum(['==', '!=']), value: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);

export const FieldInConditionSchema = Type.Object(
  {
    field: FieldName,
    op: Type.Enum(['in', 'not_in']),
    value: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const ruleValidators = {
  header: compileValidator('Rule', RuleHeaderSchema),
  all: compileValidator('AllCondition', ListConditionSchema('all')),
  any: compileValidator('AnyCondition', ListConditionSchema('any')),
  not: compileValidator(
    'NotCondition',
    Type.Object({ not: Type.Unknown() }, { additionalProperties: false }),
  ),
  feature: compileValidator('FeatureCondition', FeatureConditionSchema),
  pattern: compileValidator('PatternCondition', PatternConditionSchema),
  fieldEquals: compileValidator('FieldCondition', FieldEqualsConditionSchema),
  fieldIn: compileValidator('FieldCondition', FieldInConditionSchema),
};

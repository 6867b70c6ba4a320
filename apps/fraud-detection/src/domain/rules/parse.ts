/**
 * Turns stored rule rows into Rules. An invalid rule is reported with the exact bad part and
 * skipped by the caller: one broken row in fraud_rules never stops the detector.
 */
import { type FieldError, formatFieldErrors, type Validator } from '@streamkit/schemas';
import { ruleValidators } from './schema.ts';
import type { Condition, Rule } from './types.ts';

export type RuleParseResult =
  | { readonly ok: true; readonly rule: Rule }
  | {
      readonly ok: false;
      readonly id: string | null;
      readonly errors: readonly FieldError[];
      readonly message: string;
    };

/** Nesting deeper than this is a mistake (or an attack on the evaluator's stack). */
const MAX_DEPTH = 16;

export function parseRule(raw: unknown): RuleParseResult {
  const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : null;
  const fail = (errors: readonly FieldError[]): RuleParseResult => ({
    ok: false,
    id,
    errors,
    message: `invalid rule ${id ?? '(no id)'}: ${formatFieldErrors(errors)}`,
  });
  const header = ruleValidators.header.validate(raw);
  if (!header.ok) return fail(header.errors);
  const errors: FieldError[] = [];
  const condition = parseCondition(header.value.condition, 'condition', 0, errors);
  if (condition === null) return fail(errors);
  const h = header.value;
  return {
    ok: true,
    rule: {
      id: h.id,
      description: h.description,
      condition,
      score: h.score,
      action: h.action,
      enabled: h.enabled ?? true,
      priority: h.priority ?? 100,
    },
  };
}

export interface ParsedRules {
  readonly rules: readonly Rule[];
  readonly rejected: readonly Extract<RuleParseResult, { ok: false }>[];
}

/** Parses every row; valid rules sorted by priority then id, invalid ones returned for reporting. */
export function parseRules(rows: readonly unknown[]): ParsedRules {
  const rules: Rule[] = [];
  const rejected: Extract<RuleParseResult, { ok: false }>[] = [];
  const ids = new Set<string>();
  for (const row of rows) {
    const result = parseRule(row);
    if (!result.ok) rejected.push(result);
    else if (ids.has(result.rule.id)) {
      const errors = [{ field: 'id', message: 'is a duplicate' }];
      rejected.push({
        ok: false,
        id: result.rule.id,
        errors,
        message: `invalid rule ${result.rule.id}: id: is a duplicate`,
      });
    } else {
      ids.add(result.rule.id);
      rules.push(result.rule);
    }
  }
  return { rules: sortRules(rules), rejected };
}

export function sortRules(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function parseCondition(raw: unknown, path: string, depth: number, errors: FieldError[]): Condition | null {
  if (depth > MAX_DEPTH) return bad(errors, path, `is nested deeper than ${MAX_DEPTH} levels`);
  if (!isRecord(raw)) return bad(errors, path, 'must be an object');
  if ('all' in raw || 'any' in raw) {
    const key = 'all' in raw ? 'all' : 'any';
    const v = check(key === 'all' ? ruleValidators.all : ruleValidators.any, raw, path, errors);
    if (v === null) return null;
    const items = (v as Record<string, unknown[]>)[key] as unknown[];
    const parsed = items.map((item, i) => parseCondition(item, `${path}.${key}[${i}]`, depth + 1, errors));
    if (parsed.some((c) => c === null)) return null;
    return key === 'all' ? { all: parsed as Condition[] } : { any: parsed as Condition[] };
  }
  if ('not' in raw) {
    if (check(ruleValidators.not, raw, path, errors) === null) return null;
    const inner = parseCondition(raw.not, `${path}.not`, depth + 1, errors);
    return inner === null ? null : { not: inner };
  }
  if ('feature' in raw) return check(ruleValidators.feature, raw, path, errors);
  if ('pattern' in raw) return check(ruleValidators.pattern, raw, path, errors);
  if ('field' in raw) {
    if ((raw.op === 'in' || raw.op === 'not_in') && !Array.isArray(raw.value)) {
      return bad(errors, `${path}.value`, `must be an array of strings for op "${String(raw.op)}"`);
    }
    if (Array.isArray(raw.value)) return check<Condition>(ruleValidators.fieldIn, raw, path, errors);
    return check<Condition>(ruleValidators.fieldEquals, raw, path, errors);
  }
  return bad(errors, path, 'must have one of the keys all, any, not, feature, pattern, field');
}

function check<T>(validator: Validator<T>, raw: unknown, path: string, errors: FieldError[]): T | null {
  const result = validator.validate(raw);
  if (result.ok) return result.value;
  for (const e of result.errors)
    errors.push({ field: e.field ? `${path}.${e.field.replaceAll('/', '.')}` : path, message: e.message });
  return null;
}

function bad(errors: FieldError[], field: string, message: string): null {
  errors.push({ field, message });
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

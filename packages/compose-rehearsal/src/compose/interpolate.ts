/**
 * Compose's variable interpolation, applied to every string value of a compose file (never to keys):
 *   $$                 a literal $
 *   $VAR  ${VAR}       the value, or "" when unset (Compose warns)
 *   ${VAR:-default}    default when VAR is unset or empty;  ${VAR-default} when unset only
 *   ${VAR:?message}    an error when VAR is unset or empty; ${VAR?message} when unset only
 *   ${VAR:+other}      other when VAR is set and not empty; ${VAR+other}   when set
 * The default, message and other parts are interpolated themselves (`${A:-${B}}`), only when used.
 * Anything else after a `$` is an error, as in Compose ("invalid interpolation format").
 */

/** A variable's value, undefined when it is not set (which differs from set to ""). */
export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

export interface Interpolated {
  readonly value: string;
  /** Variables that were read while unset and had no default (Compose warns about each). */
  readonly unset: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/** `where` names the value in error messages, e.g. `services.fraud-alerts.environment.PORT`. */
export function interpolate(text: string, lookup: Lookup, where: string): Interpolated {
  const unset: string[] = [];
  const value = expand(text, lookup, where, unset);
  return { value, unset };
}

function expand(text: string, lookup: Lookup, where: string, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close === -1) throw invalid(text, where);
      out += braced(text.slice(dollar + 2, close), text, lookup, where, unset);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(text.slice(dollar + 1))?.[0];
    if (name === undefined) throw invalid(text, where);
    out += variableValue(name, lookup, unset);
    i = dollar + 1 + name.length;
  }
  return out;
}

/** The body of `${…}`: a name, optionally an operator and its argument. */
function braced(body: string, whole: string, lookup: Lookup, where: string, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw invalid(whole, where);
  const rest = body.slice(name.length);
  if (rest === '') return variableValue(name, lookup, unset);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) throw invalid(whole, where);
  const argument = rest.slice(operator.length);
  const value = lookup(name);
  return apply(operator, name, value, () => expand(argument, lookup, where, unset), where);
}

function apply(
  operator: Operator,
  name: string,
  value: string | undefined,
  argument: () => string,
  where: string,
): string {
  const empty = value === undefined || value === '';
  switch (operator) {
    case ':-':
      return empty ? argument() : value;
    case '-':
      return value === undefined ? argument() : value;
    case ':+':
      return empty ? '' : argument();
    case '+':
      return value === undefined ? '' : argument();
    case ':?':
    case '?': {
      const missing = operator === ':?' ? empty : value === undefined;
      if (!missing) return value as string;
      const message = argument();
      throw new InterpolationError(
        `${where}: required variable ${name} is missing a value${message === '' ? '' : `: ${message}`}`,
      );
    }
  }
}

function variableValue(name: string, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  if (value === undefined) {
    unset.push(name);
    return '';
  }
  return value;
}

/** Index of the `}` closing a `${` whose body starts at `from`, skipping nested `${…}` and `$$`. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function invalid(text: string, where: string): InterpolationError {
  return new InterpolationError(
    `${where}: invalid interpolation format in ${JSON.stringify(text)}; you may need to escape any $ with another $`,
  );
}

/**
 * Interpolates every string value of a parsed YAML tree (keys stay as they are). Numbers, booleans and
 * null are not touched. `path` is the location of `node` for error messages.
 */
export function interpolateTree(node: unknown, lookup: Lookup, path: string, unset: Set<string>): unknown {
  if (typeof node === 'string') {
    const result = interpolate(node, lookup, path);
    for (const name of result.unset) unset.add(name);
    return result.value;
  }
  if (Array.isArray(node))
    return node.map((item, i) => interpolateTree(item, lookup, `${path}[${i}]`, unset));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node))
      out[key] = interpolateTree(value, lookup, path === '' ? key : `${path}.${key}`, unset);
    return out;
  }
  return node;
}

import { ConfigSpecError } from './config-error.ts';
import {
  checkRange,
  createField,
  describeRange,
  type EnvField,
  inRange,
  type Presence,
  type ValueOf,
} from './field.ts';
import { maskUrlCredentials } from './mask.ts';

/** Options when a call passes none: the field is required. */
type None = Record<never, never>;

export type StringOptions = Presence<string> & { minLength?: number; maxLength?: number; pattern?: RegExp };
export type NumberOptions = Presence<number> & { min?: number; max?: number };
export type PortOptions = Presence<number> & { allowZero?: boolean };
export type UrlOptions = Presence<string> & { protocols?: readonly string[] };
export type ListOptions = Presence<readonly string[]> & {
  /** Each item must pass `test`; `expected` completes "a comma-separated list of …". */
  item?: { readonly test: (item: string) => boolean; readonly expected: string };
};
export type SecretOptions = { optional?: true; minLength?: number };

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function string<const O extends StringOptions = None>(
  variable: string,
  options?: O,
): EnvField<ValueOf<string, O>> {
  const { minLength = 1, maxLength, pattern } = options ?? {};
  checkRange(variable, minLength, maxLength);
  if (pattern?.global || pattern?.sticky) {
    throw new ConfigSpecError(`${variable}: a pattern with the g or y flag keeps state between tests`);
  }
  const length =
    maxLength !== undefined
      ? ` of ${minLength}..${maxLength} characters`
      : minLength > 1
        ? ` of at least ${minLength} characters`
        : '';
  const expected = `a string${length}${pattern ? ` matching ${pattern}` : ''}`;
  const accepts = (value: string) =>
    value.length >= minLength &&
    (maxLength === undefined || value.length <= maxLength) &&
    (!pattern || pattern.test(value));
  return createField<string, O>(
    variable,
    { expected, accepts, parse: (raw) => (accepts(raw) ? raw : undefined) },
    options,
  );
}

function numeric(integer: boolean) {
  return <const O extends NumberOptions = None>(
    variable: string,
    options?: O,
  ): EnvField<ValueOf<number, O>> => {
    const { min, max } = options ?? {};
    checkRange(variable, min, max);
    const accepts = (value: number) =>
      Number.isFinite(value) && (!integer || Number.isSafeInteger(value)) && inRange(value, min, max);
    const syntax = integer ? INTEGER : DECIMAL;
    const parse = (raw: string) => {
      const text = raw.trim();
      const value = Number(text);
      return syntax.test(text) && accepts(value) ? value : undefined;
    };
    const expected = `${integer ? 'an integer' : 'a number'}${describeRange(min, max)}`;
    return createField<number, O>(variable, { expected, accepts, parse }, options);
  };
}

function port<const O extends PortOptions = None>(
  variable: string,
  options?: O,
): EnvField<ValueOf<number, O>> {
  const min = options?.allowZero ? 0 : 1;
  const expected = `a port number ${min}..65535${min === 0 ? ' (0: any free port)' : ''}`;
  const accepts = (value: number) => Number.isInteger(value) && value >= min && value <= 65535;
  const parse = (raw: string) => {
    const text = raw.trim();
    return /^\d{1,5}$/.test(text) && accepts(Number(text)) ? Number(text) : undefined;
  };
  return createField<number, O>(variable, { expected, accepts, parse }, options);
}

function bool<const O extends Presence<boolean> = None>(
  variable: string,
  options?: O,
): EnvField<ValueOf<boolean, O>> {
  const parse = (raw: string) => {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return undefined;
  };
  const expected = 'a boolean (true/false, 1/0, yes/no, on/off)';
  return createField<boolean, O>(
    variable,
    { expected, accepts: (v) => typeof v === 'boolean', parse },
    options,
  );
}

function url<const O extends UrlOptions = None>(variable: string, options?: O): EnvField<ValueOf<string, O>> {
  const protocols = (options?.protocols ?? []).map((p) => (p.endsWith(':') ? p : `${p}:`).toLowerCase());
  for (const p of protocols) {
    if (!/^[a-z][a-z0-9+.-]*:$/.test(p)) throw new ConfigSpecError(`${variable}: "${p}" is not a URL scheme`);
  }
  const accepts = (value: string) => {
    if (!URL.canParse(value)) return false;
    return protocols.length === 0 || protocols.includes(new URL(value).protocol);
  };
  const expected =
    protocols.length === 0 ? 'a URL' : `a URL with scheme ${protocols.map((p) => `${p}//`).join(' or ')}`;
  const parse = (raw: string) => (accepts(raw.trim()) ? raw.trim() : undefined);
  return createField<string, O>(variable, { expected, accepts, parse, show: maskUrlCredentials }, options);
}

function list<const O extends ListOptions = None>(
  variable: string,
  // `& ListOptions` gives an inline `item.test` callback its parameter type
  options?: O & ListOptions,
): EnvField<ValueOf<readonly string[], O>> {
  const item = options?.item;
  const expected = `a comma-separated list of ${item ? item.expected : 'non-empty items'}`;
  const accepts = (value: readonly string[]) =>
    Array.isArray(value) && value.every((v) => v !== '' && (!item || item.test(v)));
  const parse = (raw: string) => {
    const items = raw.split(',').map((s) => s.trim());
    return accepts(items) ? Object.freeze(items) : undefined;
  };
  const frozen =
    options?.default === undefined ? options : { ...options, default: Object.freeze([...options.default]) };
  return createField<readonly string[], O>(variable, { expected, accepts, parse }, frozen);
}

function enumOf<const V extends readonly [string, ...string[]], const O extends Presence<V[number]> = None>(
  variable: string,
  values: V,
  options?: O,
): EnvField<ValueOf<V[number], O>> {
  if (values.length === 0 || new Set(values).size !== values.length) {
    throw new ConfigSpecError(`${variable}: an enum needs one or more distinct values`);
  }
  const accepts = (value: string) => values.includes(value);
  const expected = `one of ${values.join(', ')}`;
  const parse = (raw: string) => (accepts(raw.trim()) ? (raw.trim() as V[number]) : undefined);
  return createField<V[number], O>(variable, { expected, accepts, parse }, options);
}

/** A string that describeConfig and ConfigError never show. Secrets have no default: one in code is not secret. */
function secret<const O extends SecretOptions = None>(
  variable: string,
  options?: O,
): EnvField<ValueOf<string, O>> {
  const minLength = options?.minLength ?? 1;
  const expected = minLength > 1 ? `a secret of at least ${minLength} characters` : 'a secret';
  const accepts = (value: string) => value.length >= minLength;
  const parse = (raw: string) => (accepts(raw) ? raw : undefined);
  const presence = options?.optional ? { optional: true as const } : undefined;
  return createField<string, O>(variable, { expected, accepts, parse }, presence, true);
}

/** Field builders for a config spec: `{ port: env.port('PORT', { default: 8080 }) }`. */
export const env = Object.freeze({
  string,
  int: numeric(true),
  number: numeric(false),
  bool,
  port,
  url,
  list,
  enum: enumOf,
  secret,
});

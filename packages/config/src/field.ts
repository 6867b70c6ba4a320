import { ConfigSpecError } from './config-error.ts';

const FIELD = Symbol('streamkit.config.field');

/** How an unset variable is treated: a default value, `optional` (→ undefined), or required (neither). */
export type Presence<T> =
  | { readonly default: T; readonly optional?: false }
  | { readonly optional: true; readonly default?: undefined }
  | { readonly default?: undefined; readonly optional?: false };

/** The value type a field yields under presence options `O`. */
export type ValueOf<T, O> = [O] extends [{ readonly optional: true }] ? T | undefined : T;

/** What a field does with a raw value: parse it (undefined = malformed) and check a spec's default. */
export interface FieldKind<T> {
  /** What a valid value looks like, completing "expected …": "an integer in 1..10". */
  readonly expected: string;
  parse(raw: string): T | undefined;
  accepts(value: T): boolean;
  /** How to show a value to an operator; a url masks its password. */
  readonly show?: (value: string) => string;
}

/** One environment variable of a config spec, built by the `env.*` functions. */
export interface EnvField<T> {
  readonly [FIELD]: true;
  readonly variable: string;
  readonly expected: string;
  readonly secret: boolean;
  readonly optional: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: T | undefined;
  /** Turns a set (non-blank) raw value into the field's value, or undefined when it is malformed. */
  parse(raw: string): T | undefined;
  show(raw: string): string;
}

/** A service's configuration: its own names mapped to environment fields. */
export type ConfigSpec = Readonly<Record<string, EnvField<unknown>>>;

export function isEnvField(value: unknown): value is EnvField<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FIELD] === true;
}

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Builds a field and rejects a nonsensical spec (bad name, default and optional, invalid default) at once. */
export function createField<T, O>(
  variable: string,
  kind: FieldKind<T>,
  options: Presence<T> | undefined,
  secret = false,
): EnvField<ValueOf<T, O>> {
  if (!VARIABLE_NAME.test(variable)) {
    throw new ConfigSpecError(
      `"${variable}" is not an environment variable name (expected ${VARIABLE_NAME})`,
    );
  }
  const presence: Presence<T> = options ?? {};
  const hasDefault = presence.default !== undefined;
  const optional = presence.optional === true;
  if (hasDefault && optional) {
    throw new ConfigSpecError(`${variable}: a field has a default or is optional, not both`);
  }
  if (hasDefault && !kind.accepts(presence.default as T)) {
    throw new ConfigSpecError(
      `${variable}: the default ${JSON.stringify(presence.default)} is not ${kind.expected}`,
    );
  }
  const field: EnvField<T> = {
    [FIELD]: true,
    variable,
    expected: kind.expected,
    secret,
    optional,
    hasDefault,
    defaultValue: presence.default,
    parse: (raw) => kind.parse(raw),
    show: kind.show ?? ((raw) => raw),
  };
  return Object.freeze(field) as EnvField<ValueOf<T, O>>;
}

/** `1..10`, `>= 1`, `<= 10` or '' for the bounds of a number. */
export function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` in ${min}..${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

export function checkRange(variable: string, min: number | undefined, max: number | undefined): void {
  for (const [name, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound !== undefined && !Number.isFinite(bound)) {
      throw new ConfigSpecError(`${variable}: ${name} must be a finite number, got ${bound}`);
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new ConfigSpecError(`${variable}: min ${min} is greater than max ${max}`);
  }
}

export function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/**
 * Typed command-line options with validation: the common flags of the CLI and the extra flags a
 * scenario declares share these definitions, so every bad value gets the same kind of message
 * ("--size: expected an integer from 1 to 1000000, got "abc"").
 */
import { UsageError } from './errors.ts';

interface OptionBase {
  /** One line for `--help`. */
  readonly description: string;
}
export interface IntOption extends OptionBase {
  readonly type: 'int';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
}
export interface NumberOption extends OptionBase {
  readonly type: 'number';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
}
export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly default: string;
  readonly choices?: readonly string[];
}
export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
  readonly default: boolean;
}
export type OptionDef = IntOption | NumberOption | StringOption | BooleanOption;

/** Flag name (without the dashes, kebab-case) → definition. */
export type OptionSpec = Readonly<Record<string, OptionDef>>;

export type OptionValue<D extends OptionDef> = D extends IntOption | NumberOption
  ? number
  : D extends BooleanOption
    ? boolean
    : string;

export type OptionValues<S extends OptionSpec> = { readonly [K in keyof S]: OptionValue<S[K]> };

/** What `node:util` parseArgs yields for one flag. */
export type RawOptionValue = string | boolean | undefined;

export function parseOptionValue(
  name: string,
  def: OptionDef,
  raw: RawOptionValue,
): number | string | boolean {
  if (raw === undefined) return def.default;
  const flag = `--${name}`;
  if (def.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    throw new UsageError(`${flag} is a switch and takes no value, got "${raw}"`);
  }
  if (typeof raw !== 'string') throw new UsageError(`${flag} needs a value (${expectedForm(def)})`);
  if (def.type === 'string') {
    if (def.choices && !def.choices.includes(raw)) {
      throw new UsageError(`${flag}: expected ${expectedForm(def)}, got "${raw}"`);
    }
    return raw;
  }
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const integral = def.type === 'int';
  const inRange = (def.min === undefined || value >= def.min) && (def.max === undefined || value <= def.max);
  if (!Number.isFinite(value) || (integral && !Number.isSafeInteger(value)) || !inRange) {
    throw new UsageError(`${flag}: expected ${expectedForm(def)}, got "${raw}"`);
  }
  return value;
}

/** Reads every option of `spec` from parsed flags, applying defaults. */
export function resolveOptions<S extends OptionSpec>(
  spec: S,
  raw: Readonly<Record<string, RawOptionValue>>,
): OptionValues<S> {
  const values: Record<string, number | string | boolean> = {};
  for (const [name, def] of Object.entries(spec)) values[name] = parseOptionValue(name, def, raw[name]);
  return Object.freeze(values) as OptionValues<S>;
}

/** "an integer from 1 to 1000000", "a number >= 0", "one of a, b", "a string". */
export function expectedForm(def: OptionDef): string {
  switch (def.type) {
    case 'boolean':
      return 'no value';
    case 'string':
      return def.choices ? `one of ${def.choices.join(', ')}` : 'a string';
    case 'int':
    case 'number': {
      const noun = def.type === 'int' ? 'an integer' : 'a number';
      if (def.min !== undefined && def.max !== undefined) return `${noun} from ${def.min} to ${def.max}`;
      if (def.min !== undefined) return `${noun} >= ${def.min}`;
      if (def.max !== undefined) return `${noun} <= ${def.max}`;
      return noun;
    }
  }
}

import { ConfigError, type ConfigProblem, ConfigSpecError } from './config-error.ts';
import { type ConfigSpec, type EnvField, isEnvField } from './field.ts';

/** The typed configuration a spec yields: `{ port: env.port('PORT') }` → `{ readonly port: number }`. */
export type Config<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends EnvField<infer T> ? T : never;
};

/** Where variables come from: process.env, or a plain record in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const SHOWN_VALUE_LENGTH = 80;

/**
 * Reads every field of `spec` from `source` and returns a frozen, typed object, or throws one ConfigError
 * naming every missing or malformed variable. An empty or blank value counts as unset.
 */
export function loadConfig<const S extends ConfigSpec>(spec: S, source: EnvSource = process.env): Config<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, field] of Object.entries(spec)) {
    if (!isEnvField(field)) throw new ConfigSpecError(`config spec entry "${key}" is not built with env.*`);
    const raw = source[field.variable];
    if (raw === undefined || raw.trim() === '') {
      if (!field.hasDefault && !field.optional) {
        problems.push({ variable: field.variable, message: `is required: expected ${field.expected}` });
      }
      values[key] = field.defaultValue;
      continue;
    }
    const value = field.parse(raw);
    if (value === undefined) {
      problems.push({
        variable: field.variable,
        message: `expected ${field.expected}, got ${shown(field, raw)}`,
      });
    }
    values[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as Config<S>;
}

/** The offending value as an operator should see it: quoted, shortened, passwords masked, secrets hidden. */
function shown(field: EnvField<unknown>, raw: string): string {
  if (field.secret) return 'a value that is not shown (secret)';
  const text = field.show(raw);
  const cut = text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
  return JSON.stringify(cut);
}

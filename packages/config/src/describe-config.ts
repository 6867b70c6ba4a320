import type { ConfigSpec } from './field.ts';
import type { Config } from './load-config.ts';

export const REDACTED = '[redacted]';

/**
 * The configuration as it may be logged at startup: secrets replaced by "[redacted]", URL passwords
 * masked. Unset optional values are shown as undefined so a reader sees they were considered.
 */
export function describeConfig<S extends ConfigSpec>(
  spec: S,
  config: Config<S>,
): Readonly<Record<string, unknown>> {
  const shown: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const value = (config as Record<string, unknown>)[key];
    if (field.secret) shown[key] = value === undefined ? undefined : REDACTED;
    else if (typeof value === 'string') shown[key] = field.show(value);
    else shown[key] = value;
  }
  return Object.freeze(shown);
}

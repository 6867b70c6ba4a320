/**
 * A scenario's option values for one run: its defaults, overridden by a plan's values (the bench's
 * steps, the chaos command's load), checked against the scenario's option spec.
 */
import type { Scenario } from './scenario.ts';

export type ScenarioOptionValue = string | number | boolean;

/** The plan asks for an option the scenario does not have (yet): the part is skipped, not crashed. */
export class UnsupportedOptionError extends Error {
  readonly retriable = false;
  constructor(scenario: string, option: string) {
    super(`scenario ${scenario} has no option --${option}`);
    this.name = 'UnsupportedOptionError';
  }
}

export function scenarioOptions(
  scenario: Scenario,
  overrides: Readonly<Record<string, ScenarioOptionValue>>,
): Record<string, ScenarioOptionValue> {
  const spec = scenario.options ?? {};
  const values: Record<string, ScenarioOptionValue> = {};
  for (const [name, def] of Object.entries(spec)) values[name] = def.default;
  for (const [name, value] of Object.entries(overrides)) {
    const def = spec[name];
    if (def === undefined) throw new UnsupportedOptionError(scenario.name, name);
    const expected = def.type === 'int' || def.type === 'number' ? 'number' : def.type;
    if (typeof value !== expected) {
      throw new TypeError(
        `scenario ${scenario.name} --${name}: expected a ${expected}, got ${JSON.stringify(value)}`,
      );
    }
    if (def.type === 'string' && def.choices !== undefined && !def.choices.includes(value as string)) {
      throw new UnsupportedOptionError(scenario.name, `${name} ${String(value)}`);
    }
    values[name] = value;
  }
  return values;
}

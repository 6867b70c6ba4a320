/**
 * Command-line parsing (node:util parseArgs), kept apart from the process so it can be tested:
 * argv in, a command or a UsageError naming the flag and the expected form out.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import {
  expectedForm,
  type OptionSpec,
  type OptionValues,
  type RawOptionValue,
  resolveOptions,
} from './options.ts';
import type { ScenarioRegistry } from './registry.ts';
import type { RunSettings, Scenario } from './scenario.ts';

export const runFlags = {
  rate: {
    type: 'number',
    default: 100,
    min: 0.001,
    description: 'operations per second offered (open loop)',
  },
  duration: { type: 'number', default: 10, min: 0.001, description: 'measured seconds' },
  warmup: {
    type: 'number',
    default: 0,
    min: 0,
    description: 'seconds run before measuring (not in the statistics)',
  },
  'max-in-flight': {
    type: 'int',
    default: 10_000,
    min: 1,
    description: 'outstanding operations allowed; more are dropped and counted',
  },
  drain: {
    type: 'number',
    default: 10,
    min: 0,
    description: 'seconds to wait for outstanding completions at the end',
  },
  out: {
    type: 'string',
    default: '',
    description: 'report directory (default results/loadgen/<scenario>-<time>)',
  },
} as const satisfies OptionSpec;

const switches = { list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export const reservedFlagNames: readonly string[] = [...Object.keys(runFlags), ...Object.keys(switches)];

export type CliCommand =
  | { readonly kind: 'help'; readonly scenario?: Scenario }
  | { readonly kind: 'list' }
  | {
      readonly kind: 'run';
      readonly scenario: Scenario;
      readonly settings: RunSettings;
      readonly options: OptionValues<OptionSpec>;
      /** Empty: the default place under results/. */
      readonly outDir: string;
    };

export function parseCliArgs(argv: readonly string[], registry: ScenarioRegistry): CliCommand {
  // first pass, lenient: find the scenario, whose flags the strict pass must know
  const loose = parse(argv, {}, false);
  const scenario = loose.positionals.map((name) => registry.get(name)).find((s) => s !== undefined);
  if (loose.values.help === true) return scenario ? { kind: 'help', scenario } : { kind: 'help' };
  if (loose.values.list === true) return { kind: 'list' };
  if (!scenario) {
    const [name] = loose.positionals;
    if (name === undefined)
      throw new UsageError('missing scenario: pnpm loadgen <scenario> [flags]; --list shows them');
    throw new UsageError(
      `unknown scenario "${name}"; known: ${
        registry
          .list()
          .map((s) => s.name)
          .join(', ') || 'none'
      }`,
    );
  }

  const scenarioFlags: OptionSpec = scenario.options ?? {};
  const strict = parse(argv, scenarioFlags, true);
  const extra = strict.positionals.filter((p) => p !== scenario.name);
  if (extra.length > 0 || strict.positionals.length !== 1) {
    throw new UsageError(`unexpected argument "${extra[0] ?? scenario.name}": give one scenario, then flags`);
  }
  const run = resolveOptions(runFlags, strict.values);
  return {
    kind: 'run',
    scenario,
    settings: {
      rate: run.rate,
      durationS: run.duration,
      warmupS: run.warmup,
      maxInFlight: run['max-in-flight'],
      drainS: run.drain,
    },
    options: resolveOptions(scenarioFlags, strict.values),
    outDir: run.out,
  };
}

interface ParsedArgs {
  readonly values: Readonly<Record<string, RawOptionValue>>;
  readonly positionals: readonly string[];
}

function parse(argv: readonly string[], scenarioFlags: OptionSpec, strict: boolean): ParsedArgs {
  const config: ParseArgsOptionsConfig = { ...switches };
  for (const [name, def] of [...Object.entries(runFlags), ...Object.entries(scenarioFlags)]) {
    config[name] = { type: def.type === 'boolean' ? 'boolean' : 'string' };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: config,
      strict,
      allowPositionals: true,
    });
    // no option is declared `multiple`, so no value is an array
    return { values: values as Record<string, RawOptionValue>, positionals };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.?$/, '')}. See --help`);
  }
}

export function usage(registry: ScenarioRegistry, scenario?: Scenario): string {
  const lines = [
    'Usage: pnpm loadgen <scenario> [--rate N] [--duration S] [flags]',
    '       pnpm loadgen --list',
    '',
    'Drives a scenario on an open-loop schedule and writes report.json, report.md and latency.svg.',
    '',
    'Flags:',
    ...flagLines(runFlags),
    '  --list                 list the scenarios',
    '  --help, -h             this text (after a scenario name: also its flags)',
  ];
  if (scenario) {
    lines.push('', `Flags of ${scenario.name}:`, ...flagLines(scenario.options ?? {}));
  } else {
    lines.push('', 'Scenarios:', ...registry.list().map((s) => `  ${s.name.padEnd(22)} ${s.description}`));
  }
  return lines.join('\n');
}

function flagLines(spec: OptionSpec): string[] {
  return Object.entries(spec).map(([name, def]) => {
    const value = def.type === 'boolean' ? '' : ` <${def.type === 'string' ? 'text' : def.type}>`;
    const shown = def.default === '' ? '' : `, default ${def.default}`;
    const plain = def.type === 'boolean' || (def.type === 'string' && !def.choices);
    const form = plain ? '' : ` [${expectedForm(def)}]`;
    return `  ${`--${name}${value}`.padEnd(22)} ${def.description}${form}${shown}`;
  });
}

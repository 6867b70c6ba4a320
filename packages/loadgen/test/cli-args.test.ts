import { describe, expect, it } from 'vitest';
import { parseCliArgs, usage } from '../src/cli-args.ts';
import { UsageError } from '../src/errors.ts';
import { createScenarioRegistry } from '../src/registry.ts';
import { defineScenario } from '../src/scenario.ts';

const echo = defineScenario({
  name: 'echo',
  description: 'answers everything',
  options: {
    size: { type: 'int', default: 200, min: 1, max: 1_000_000, description: 'message bytes' },
    mode: { type: 'string', default: 'fast', choices: ['fast', 'safe'], description: 'how' },
    verbose: { type: 'boolean', default: false, description: 'chatty' },
  },
  setup: async () => ({ send: async () => {}, teardown: async () => {} }),
});
const plain = defineScenario({
  name: 'plain',
  description: 'no options',
  setup: async () => ({ send: async () => {}, teardown: async () => {} }),
});
const registry = createScenarioRegistry([echo, plain]);
const parse = (...argv: string[]) => parseCliArgs(argv, registry);

function usageError(argv: string[]): string {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('command line', () => {
  it('reads the run settings and the scenario options, with defaults', () => {
    const command = parse('echo', '--rate', '5000', '--duration=20', '--size', '512', '--verbose');
    expect(command).toEqual({
      kind: 'run',
      scenario: echo,
      settings: { rate: 5000, durationS: 20, warmupS: 0, maxInFlight: 10_000, drainS: 10 },
      options: { size: 512, mode: 'fast', verbose: true },
      outDir: '',
    });
  });

  it('finds the scenario wherever it stands among the flags', () => {
    const command = parse(
      '--warmup',
      '2',
      'echo',
      '--max-in-flight',
      '50',
      '--drain',
      '0',
      '--out',
      '/tmp/r',
    );
    expect(command).toMatchObject({
      kind: 'run',
      settings: { warmupS: 2, maxInFlight: 50, drainS: 0 },
      outDir: '/tmp/r',
    });
  });

  it('answers --list and --help', () => {
    expect(parse('--list')).toEqual({ kind: 'list' });
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('echo', '-h')).toEqual({ kind: 'help', scenario: echo });
  });

  it.each([
    [['echo', '--rate', 'fast'], '--rate: expected a number >= 0.001, got "fast"'],
    [['echo', '--rate', '0'], '--rate: expected a number >= 0.001, got "0"'],
    [['echo', '--duration', ''], '--duration: expected a number >= 0.001, got ""'],
    [['echo', '--max-in-flight', '1.5'], '--max-in-flight: expected an integer >= 1, got "1.5"'],
    [['echo', '--size', '0'], '--size: expected an integer from 1 to 1000000, got "0"'],
    [['echo', '--mode', 'slow'], '--mode: expected one of fast, safe, got "slow"'],
    [['echo', '--verbose=yes'], "Option '--verbose' does not take an argument"],
    [['echo', '--rate'], "Option '--rate <value>' argument missing"],
    [['echo', '--bogus', '1'], "Unknown option '--bogus'"],
    [['plain', '--size', '1'], "Unknown option '--size'"],
    [['echo', 'extra'], 'unexpected argument "extra"'],
    [[], 'missing scenario'],
    [['nope'], 'unknown scenario "nope"; known: echo, plain'],
  ])('rejects %j naming the flag and the expected form', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it('lists flags, their forms and defaults, and the scenarios in the help text', () => {
    const general = usage(registry);
    expect(general).toContain('--rate <number>');
    expect(general).toMatch(/--max-in-flight <int>\s+outstanding operations allowed/);
    expect(general).toMatch(/echo\s+answers everything/);
    const specific = usage(registry, echo);
    expect(specific).toContain('Flags of echo:');
    expect(specific).toMatch(/--size <int>\s+message bytes \[an integer from 1 to 1000000\], default 200/);
  });
});

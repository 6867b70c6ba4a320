import { parseArgs } from 'node:util';
import { GeneratorSettingsError } from './errors.ts';

export const USAGE = `usage:
  node src/generator/main.ts history [--seed 1] [--cards 2000] [--days 14] [--start 2026-01-01T00:00:00Z] [--fraud-rate 0.003]
  node src/generator/main.ts live    [--seed 2] [--rate 20] [--cards 5000] [--max-in-flight 32] [--count N] [--fraud-rate 0.01]
env: DATABASE_URL (history); GATEWAY_URL, GATEWAY_API_KEY, METRICS_PORT (live)`;

export type GeneratorCommand =
  | {
      readonly mode: 'history';
      readonly seed: number;
      readonly cards: number;
      readonly days: number;
      readonly startMs: number;
      readonly fraudPerCardDay: number;
    }
  | {
      readonly mode: 'live';
      readonly seed: number;
      readonly cards: number;
      readonly rate: number;
      readonly maxInFlight: number;
      readonly count: number | undefined;
      readonly fraudPerCardDay: number;
    };

/** Parses and checks the command line; every problem is reported at once. */
export function parseGeneratorArgs(argv: readonly string[]): GeneratorCommand {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      cards: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      rate: { type: 'string' },
      'max-in-flight': { type: 'string' },
      count: { type: 'string' },
      'fraud-rate': { type: 'string' },
    },
  });
  const problems: string[] = [];
  const number = (
    name: string,
    raw: string | undefined,
    fallback: number,
    ok: (n: number) => boolean,
    expected: string,
  ) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !ok(n)) problems.push(`--${name}: expected ${expected}, got "${raw}"`);
    return n;
  };
  const int = (n: number) => Number.isSafeInteger(n) && n >= 0;
  const mode = positionals[0];
  if (positionals.length !== 1 || (mode !== 'history' && mode !== 'live')) {
    throw new GeneratorSettingsError([
      `expected one mode, "history" or "live", got ${JSON.stringify(positionals)}\n${USAGE}`,
    ]);
  }
  const seed = number('seed', values.seed, mode === 'history' ? 1 : 2, int, 'a non-negative integer');
  const fraction = (n: number) => n >= 0 && n <= 1;
  if (mode === 'history') {
    const cards = number(
      'cards',
      values.cards,
      2000,
      (n) => int(n) && n >= 1 && n <= 1_000_000,
      'an integer 1..1000000',
    );
    const days = number('days', values.days, 14, (n) => n > 0 && n <= 366, 'days in (0, 366]');
    const startMs = values.start === undefined ? Date.UTC(2026, 0, 1) : Date.parse(values.start);
    if (!Number.isFinite(startMs))
      problems.push(`--start: expected an ISO-8601 date-time, got "${values.start}"`);
    const fraudPerCardDay = number(
      'fraud-rate',
      values['fraud-rate'],
      0.003,
      fraction,
      'attacks per card per day in [0, 1]',
    );
    if (problems.length > 0) throw new GeneratorSettingsError(problems);
    return { mode, seed, cards, days, startMs, fraudPerCardDay };
  }
  const cards = number(
    'cards',
    values.cards,
    5000,
    (n) => int(n) && n >= 1 && n <= 1_000_000,
    'an integer 1..1000000',
  );
  const rate = number(
    'rate',
    values.rate,
    20,
    (n) => n > 0 && n <= 100_000,
    'payments per second in (0, 100000]',
  );
  const maxInFlight = number(
    'max-in-flight',
    values['max-in-flight'],
    32,
    (n) => int(n) && n >= 1 && n <= 10_000,
    'an integer 1..10000',
  );
  const count =
    values.count === undefined
      ? undefined
      : number('count', values.count, 0, (n) => int(n) && n >= 1, 'a positive integer');
  // live demos want to see alerts soon: more attacks per card than the history's realistic rate
  const fraudPerCardDay = number(
    'fraud-rate',
    values['fraud-rate'],
    0.01,
    fraction,
    'attacks per card per day in [0, 1]',
  );
  if (problems.length > 0) throw new GeneratorSettingsError(problems);
  return { mode, seed, cards, rate, maxInFlight, count, fraudPerCardDay };
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax, not templates
// Compose's interpolation rules (/work/shared/notes/compose-semantics.md, the Compose specification's
// "Interpolation" section), one case per rule.
import { describe, expect, it } from 'vitest';
import { parseDotEnv } from '../src/compose/dotenv.ts';
import { InterpolationError, interpolate } from '../src/compose/interpolate.ts';

const env: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (name: string) => env[name];
const run = (text: string) => interpolate(text, lookup, 'x').value;

describe('interpolate', () => {
  it('substitutes $VAR and ${VAR}, and an unset one by "" (reported)', () => {
    expect(run('a-$SET-${SET}-b')).toBe('a-value-value-b');
    const result = interpolate('[${NOPE}]', lookup, 'x');
    expect(result.value).toBe('[]');
    expect(result.unset).toEqual(['NOPE']);
  });

  it('reads $$ as a literal $, also before a name or a brace', () => {
    expect(run('$$SYS/#')).toBe('$SYS/#');
    expect(run('$${SET}')).toBe('${SET}');
    expect(run('a$$$SET')).toBe('a$value');
  });

  it(':- takes the default when unset or empty, - only when unset', () => {
    expect(run('${NOPE:-d}|${EMPTY:-d}|${SET:-d}')).toBe('d|d|value');
    expect(run('${NOPE-d}|${EMPTY-d}|${SET-d}')).toBe('d||value');
  });

  it(':+ and + give the alternative when set (and not empty for :+)', () => {
    expect(run('${NOPE:+a}|${EMPTY:+a}|${SET:+a}')).toBe('||a');
    expect(run('${NOPE+a}|${EMPTY+a}|${SET+a}')).toBe('|a|a');
  });

  it(':? fails when unset or empty, ? only when unset, with the message', () => {
    expect(() => run('${NOPE:?set NOPE first}')).toThrow(
      /required variable NOPE is missing a value: set NOPE first/,
    );
    expect(() => run('${EMPTY:?m}')).toThrow(InterpolationError);
    expect(run('${EMPTY?m}')).toBe('');
    expect(() => run('${NOPE?m}')).toThrow(/NOPE/);
    expect(run('${SET:?m}')).toBe('value');
  });

  it('interpolates a default itself, and only when it is used', () => {
    expect(run('${NOPE:-${SET}-x}')).toBe('value-x');
    expect(run('${NOPE:-${ALSO_NOPE:-deep}}')).toBe('deep');
    expect(run('${SET:-${NOPE:?never evaluated}}')).toBe('value');
    expect(run('${NOPE:-a:b}')).toBe('a:b');
  });

  it('rejects what Compose rejects, naming the value', () => {
    expect(() => run('cost: 5$')).toThrow(/x: invalid interpolation format in "cost: 5\$"/);
    expect(() => run('${SET')).toThrow(InterpolationError);
    expect(() => run('${}')).toThrow(InterpolationError);
    expect(() => run('${SET:x}')).toThrow(InterpolationError);
    expect(() => run('$ 1')).toThrow(InterpolationError);
  });
});

describe('.env files', () => {
  it('read KEY=value lines with export, comments and both quotes', () => {
    const parsed = parseDotEnv(
      [
        '# comment',
        'A=1',
        'export B=two words # trailing comment',
        "C='lit $X # kept'",
        'D="line\\nbreak \\"q\\""',
        '',
        'E=',
      ].join('\n'),
      '.env',
    );
    expect(parsed).toEqual({ A: '1', B: 'two words', C: 'lit $X # kept', D: 'line\nbreak "q"', E: '' });
    expect(() => parseDotEnv('not a line', '.env')).toThrow(/\.env:1: expected KEY=value/);
  });
});

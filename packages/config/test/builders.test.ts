import { describe, expect, it } from 'vitest';
import { env, loadConfig } from '../src/index.ts';
import { problemsOf } from './helpers.ts';

/** Loads one field named `value` from one variable X. */
function load(field: Parameters<typeof loadConfig>[0][string], raw: string | undefined): unknown {
  return loadConfig({ value: field }, { X: raw }).value;
}

describe('env.string', () => {
  it('returns the value verbatim, and enforces length and pattern', () => {
    expect(load(env.string('X'), ' spaced ')).toBe(' spaced ');
    const field = env.string('X', { minLength: 2, maxLength: 4, pattern: /^[a-z]+$/ });
    expect(load(field, 'abc')).toBe('abc');
    expect(problemsOf({ v: field }, { X: 'a' })).toEqual([
      'X: expected a string of 2..4 characters matching /^[a-z]+$/, got "a"',
    ]);
    expect(problemsOf({ v: field }, { X: 'abcde' })).toHaveLength(1);
    expect(problemsOf({ v: field }, { X: 'AB' })).toHaveLength(1);
    expect(problemsOf({ v: env.string('X', { minLength: 3 }) }, { X: 'ab' })).toEqual([
      'X: expected a string of at least 3 characters, got "ab"',
    ]);
  });

  it('uses its default when unset, empty or blank', () => {
    const field = env.string('X', { default: 'fallback' });
    expect(load(field, undefined)).toBe('fallback');
    expect(load(field, '')).toBe('fallback');
    expect(load(field, '   ')).toBe('fallback');
  });
});

describe('env.int and env.number', () => {
  it.each([
    ['42', 42],
    [' -7 ', -7],
    ['+3', 3],
    ['0', 0],
  ])('int parses %j', (raw, value) => {
    expect(load(env.int('X'), raw)).toBe(value);
  });

  it.each(['4.2', '1e3', '0x10', 'ten', '12abc', '9007199254740993'])('int rejects %j', (raw) => {
    expect(problemsOf({ v: env.int('X') }, { X: raw })).toEqual([
      `X: expected an integer, got ${JSON.stringify(raw)}`,
    ]);
  });

  it('int enforces min and max, naming the range', () => {
    const field = env.int('X', { min: 1, max: 10 });
    expect(load(field, '1')).toBe(1);
    expect(load(field, '10')).toBe(10);
    expect(problemsOf({ v: field }, { X: '0' })).toEqual(['X: expected an integer in 1..10, got "0"']);
    expect(problemsOf({ v: field }, { X: '11' })).toEqual(['X: expected an integer in 1..10, got "11"']);
    expect(problemsOf({ v: env.int('X', { min: 5 }) }, { X: '4' })).toEqual([
      'X: expected an integer >= 5, got "4"',
    ]);
  });

  it.each([
    ['0.25', 0.25],
    ['-1.5e2', -150],
    ['.5', 0.5],
    ['3', 3],
  ])('number parses %j', (raw, value) => {
    expect(load(env.number('X'), raw)).toBe(value);
  });

  it.each(['NaN', 'Infinity', '1,5', '0x1', '1.2.3', '-'])('number rejects %j', (raw) => {
    expect(problemsOf({ v: env.number('X', { max: 1 }) }, { X: raw })).toEqual([
      `X: expected a number <= 1, got ${JSON.stringify(raw)}`,
    ]);
  });
});

describe('env.bool', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('parses %j', (raw, value) => {
    expect(load(env.bool('X'), raw)).toBe(value);
  });

  it('rejects other words and keeps a false default', () => {
    expect(problemsOf({ v: env.bool('X') }, { X: 'maybe' })).toEqual([
      'X: expected a boolean (true/false, 1/0, yes/no, on/off), got "maybe"',
    ]);
    expect(load(env.bool('X', { default: false }), undefined)).toBe(false);
  });
});

describe('env.port', () => {
  it('accepts 1..65535 and rejects 0 unless allowed', () => {
    expect(load(env.port('X'), '8080')).toBe(8080);
    expect(load(env.port('X'), '65535')).toBe(65535);
    expect(problemsOf({ v: env.port('X') }, { X: '0' })).toEqual([
      'X: expected a port number 1..65535, got "0"',
    ]);
    expect(problemsOf({ v: env.port('X') }, { X: '65536' })).toHaveLength(1);
    expect(problemsOf({ v: env.port('X') }, { X: '-1' })).toHaveLength(1);
    expect(problemsOf({ v: env.port('X') }, { X: '80.5' })).toHaveLength(1);
    expect(load(env.port('X', { allowZero: true }), '0')).toBe(0);
  });
});

describe('env.url', () => {
  it('accepts a URL of an allowed scheme and returns it as written', () => {
    const field = env.url('X', { protocols: ['postgres', 'postgresql:'] });
    expect(load(field, 'postgres://app@db:5432/x')).toBe('postgres://app@db:5432/x');
    expect(load(field, 'postgresql://db/x')).toBe('postgresql://db/x');
    expect(load(env.url('X'), 'https://example.com')).toBe('https://example.com');
  });

  it('rejects a non-URL and a wrong scheme, masking any password in the message', () => {
    const field = env.url('X', { protocols: ['redis'] });
    expect(problemsOf({ v: field }, { X: 'localhost:6379' })).toEqual([
      'X: expected a URL with scheme redis://, got "localhost:6379"',
    ]);
    expect(problemsOf({ v: field }, { X: 'http://user:hunter2@cache:6379' })).toEqual([
      'X: expected a URL with scheme redis://, got "http://user:***@cache:6379"',
    ]);
    expect(problemsOf({ v: env.url('X') }, { X: 'not a url' })).toEqual([
      'X: expected a URL, got "not a url"',
    ]);
  });
});

describe('env.list', () => {
  it('splits on commas, trims items and freezes the result', () => {
    const value = load(env.list('X'), ' a, b ,c');
    expect(value).toEqual(['a', 'b', 'c']);
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('rejects empty items and items failing the item test', () => {
    expect(problemsOf({ v: env.list('X') }, { X: 'a,,b' })).toEqual([
      'X: expected a comma-separated list of non-empty items, got "a,,b"',
    ]);
    const digits = env.list('X', { item: { test: (s) => /^\d+$/.test(s), expected: 'numbers' } });
    expect(load(digits, '1,22')).toEqual(['1', '22']);
    expect(problemsOf({ v: digits }, { X: '1,x' })).toEqual([
      'X: expected a comma-separated list of numbers, got "1,x"',
    ]);
  });

  it('returns a frozen copy of its default', () => {
    const fallback = ['a'];
    const value = load(env.list('X', { default: fallback }), undefined);
    expect(value).toEqual(['a']);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(fallback)).toBe(false);
  });
});

describe('env.enum', () => {
  it('accepts one of its values and lists them when rejecting', () => {
    const field = env.enum('X', ['debug', 'info', 'warn'], { default: 'info' });
    expect(load(field, 'warn')).toBe('warn');
    expect(load(field, undefined)).toBe('info');
    expect(problemsOf({ v: field }, { X: 'WARN' })).toEqual([
      'X: expected one of debug, info, warn, got "WARN"',
    ]);
  });
});

describe('env.secret', () => {
  it('returns the value verbatim and never shows it in errors', () => {
    expect(load(env.secret('X'), 's3cr3t value')).toBe('s3cr3t value');
    const problems = problemsOf({ v: env.secret('X', { minLength: 16 }) }, { X: 'hunter2' });
    expect(problems).toEqual([
      'X: expected a secret of at least 16 characters, got a value that is not shown (secret)',
    ]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('may be optional', () => {
    expect(load(env.secret('X', { optional: true }), undefined)).toBeUndefined();
  });
});

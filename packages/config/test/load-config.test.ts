import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSpecError, env, loadConfig } from '../src/index.ts';

const spec = {
  port: env.port('PORT', { default: 8080 }),
  batchSize: env.int('BATCH_SIZE', { min: 1, max: 10_000 }),
  databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres'] }),
  apiKey: env.secret('API_KEY', { minLength: 12 }),
  logLevel: env.enum('LOG_LEVEL', ['debug', 'info'], { optional: true }),
};

describe('loadConfig', () => {
  it('returns a frozen object with parsed values, defaults and unset optionals', () => {
    const config = loadConfig(spec, {
      BATCH_SIZE: '500',
      DATABASE_URL: 'postgres://db/app',
      API_KEY: 'abcdefghijklmnop',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      port: 8080,
      batchSize: 500,
      databaseUrl: 'postgres://db/app',
      apiKey: 'abcdefghijklmnop',
      logLevel: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.keys(config)).toContain('logLevel');
  });

  it('lists every missing and malformed variable in one error, one per line', () => {
    let caught: unknown;
    try {
      loadConfig(spec, { PORT: 'eighty', BATCH_SIZE: '0', API_KEY: 'too-short', LOG_LEVEL: 'trace' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.retriable).toBe(false);
    expect(error.problems.map((p) => p.variable)).toEqual([
      'PORT',
      'BATCH_SIZE',
      'DATABASE_URL',
      'API_KEY',
      'LOG_LEVEL',
    ]);
    expect(error.message).toBe(
      [
        'invalid configuration (5 problems):',
        '  PORT: expected a port number 1..65535, got "eighty"',
        '  BATCH_SIZE: expected an integer in 1..10000, got "0"',
        '  DATABASE_URL: is required: expected a URL with scheme postgres://',
        '  API_KEY: expected a secret of at least 12 characters, got a value that is not shown (secret)',
        '  LOG_LEVEL: expected one of debug, info, got "trace"',
      ].join('\n'),
    );
    expect(error.message).not.toContain('too-short');
  });

  it('treats an empty or blank value as unset', () => {
    expect(() => loadConfig({ n: env.int('N') }, { N: '' })).toThrow('N: is required: expected an integer');
    expect(loadConfig({ n: env.int('N', { default: 3 }) }, { N: '  ' }).n).toBe(3);
  });

  it('shortens a long offending value', () => {
    expect(() => loadConfig({ n: env.int('N') }, { N: 'x'.repeat(500) })).toThrow(`got "${'x'.repeat(80)}…"`);
  });

  it('reads process.env when no source is given', () => {
    // PATH is set wherever tests run; reading it proves the default source is the real environment
    expect(loadConfig({ path: env.string('PATH') }).path).toBe(process.env.PATH);
  });

  it('rejects an entry not built with env.*', () => {
    expect(() => loadConfig({ port: 8080 } as never, {})).toThrow(ConfigSpecError);
  });
});

describe('spec validation at construction', () => {
  it.each([
    [
      'a default outside min/max',
      () => env.int('N', { min: 1, max: 5, default: 9 }),
      'N: the default 9 is not an integer in 1..5',
    ],
    ['a fractional int default', () => env.int('N', { default: 1.5 }), 'the default 1.5 is not an integer'],
    ['min above max', () => env.number('N', { min: 2, max: 1 }), 'N: min 2 is greater than max 1'],
    ['a non-finite bound', () => env.number('N', { max: Number.NaN }), 'max must be a finite number'],
    [
      'a port default out of range',
      () => env.port('P', { default: 70_000 }),
      'the default 70000 is not a port number',
    ],
    [
      'a default url of the wrong scheme',
      () => env.url('U', { protocols: ['redis'], default: 'http://x' }),
      'is not a URL with scheme redis://',
    ],
    ['a malformed scheme', () => env.url('U', { protocols: ['re dis'] }), '"re dis:" is not a URL scheme'],
    [
      'an enum default not among its values',
      () => env.enum('E', ['a', 'b'], { default: 'c' as 'a' }),
      'the default "c" is not one of a, b',
    ],
    ['duplicate enum values', () => env.enum('E', ['a', 'a']), 'one or more distinct values'],
    ['a lower-case variable name', () => env.string('port'), '"port" is not an environment variable name'],
    [
      'a default and optional at once',
      () => env.int('N', { default: 1, optional: true } as never),
      'not both',
    ],
    [
      'a list default with an empty item',
      () => env.list('L', { default: ['a', ''] }),
      'the default ["a",""] is not',
    ],
    ['a stateful regex', () => env.string('S', { pattern: /a/g }), 'keeps state between tests'],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(ConfigSpecError);
    expect(build).toThrow(message);
  });
});

import { describe, expectTypeOf, it } from 'vitest';
import { type Config, env, kafkaEnv, loadConfig, postgresEnv, telemetryEnv } from '../src/index.ts';

// these assertions are checked by `tsc` (pnpm typecheck); at run time they only need to not throw
describe('inferred config types', () => {
  it('maps each builder to its value type', () => {
    const config = loadConfig(
      {
        port: env.port('PORT', { default: 8080 }),
        retries: env.int('RETRIES'),
        ratio: env.number('RATIO', { optional: true }),
        verbose: env.bool('VERBOSE', { default: false }),
        name: env.string('NAME', { optional: true }),
        url: env.url('URL', { default: 'http://x' }),
        tags: env.list('TAGS', { default: [] as string[] }),
        level: env.enum('LEVEL', ['a', 'b'] as const),
        mode: env.enum('MODE', ['fast', 'safe'], { default: 'safe' }),
        token: env.secret('TOKEN', { optional: true }),
        key: env.secret('KEY'),
      },
      { RETRIES: '1', LEVEL: 'a', KEY: 'k' },
    );
    expectTypeOf(config.port).toEqualTypeOf<number>();
    expectTypeOf(config.retries).toEqualTypeOf<number>();
    expectTypeOf(config.ratio).toEqualTypeOf<number | undefined>();
    expectTypeOf(config.verbose).toEqualTypeOf<boolean>();
    expectTypeOf(config.name).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.url).toEqualTypeOf<string>();
    expectTypeOf(config.tags).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.level).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(config.mode).toEqualTypeOf<'fast' | 'safe'>();
    expectTypeOf(config.token).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.key).toEqualTypeOf<string>();
  });

  it('produces a readonly object with exactly the spec keys', () => {
    const config = loadConfig({ port: env.port('PORT', { default: 8080 }) }, {});
    expectTypeOf(config).toEqualTypeOf<{ readonly port: number }>();
  });

  it('types the ready-made groups', () => {
    const spec = { ...kafkaEnv, ...postgresEnv, ...telemetryEnv };
    expectTypeOf<Config<typeof spec>>().toEqualTypeOf<{
      readonly kafkaBrokers: readonly string[];
      readonly kafkaClientId: string;
      readonly kafkaClient: 'kafkajs' | 'platformatic';
      readonly databaseUrl: string;
      readonly otlpEndpoint: string | undefined;
      readonly metricsPort: number;
    }>();
  });

  it('rejects a default of the wrong type or outside an enum at compile time', () => {
    // @ts-expect-error a port default must be a number
    expectTypeOf(() => env.port('PORT', { default: '8080' })).toBeFunction();
    // @ts-expect-error "c" is not one of the enum's values
    expectTypeOf(() => env.enum('E', ['a', 'b'], { default: 'c' })).toBeFunction();
    // @ts-expect-error a secret has no default
    expectTypeOf(() => env.secret('S', { default: 'x' })).toBeFunction();
  });
});

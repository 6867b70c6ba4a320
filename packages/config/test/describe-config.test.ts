import { describe, expect, it } from 'vitest';
import { describeConfig, env, loadConfig, maskUrlCredentials, REDACTED } from '../src/index.ts';

describe('describeConfig', () => {
  const spec = {
    port: env.port('PORT', { default: 8080 }),
    databaseUrl: env.url('DATABASE_URL'),
    apiKey: env.secret('API_KEY'),
    webhookToken: env.secret('WEBHOOK_TOKEN', { optional: true }),
    brokers: env.list('BROKERS', { default: ['a:1', 'b:2'] }),
  };

  it('redacts secrets and URL passwords and shows everything else', () => {
    const config = loadConfig(spec, {
      DATABASE_URL: 'postgres://app:hunter2@db:5432/x',
      API_KEY: 'sk-live-123',
    });
    const described = describeConfig(spec, config);
    expect(described).toEqual({
      port: 8080,
      databaseUrl: 'postgres://app:***@db:5432/x',
      apiKey: REDACTED,
      webhookToken: undefined,
      brokers: ['a:1', 'b:2'],
    });
    const line = JSON.stringify(described);
    expect(line).not.toContain('sk-live-123');
    expect(line).not.toContain('hunter2');
    // the config itself still carries the real values
    expect(config.apiKey).toBe('sk-live-123');
    expect(config.databaseUrl).toBe('postgres://app:hunter2@db:5432/x');
  });
});

describe('maskUrlCredentials', () => {
  it.each([
    ['postgres://app:pw@db/x', 'postgres://app:***@db/x'],
    ['redis://:pw@cache:6379', 'redis://:***@cache:6379'],
    ['postgres://app@db/x', 'postgres://app@db/x'],
    ['http://host/path?user=a:b@c', 'http://host/path?user=a:b@c'],
    ['mqtt://u:p@broker:1883', 'mqtt://u:***@broker:1883'],
  ])('%s → %s', (input, output) => {
    expect(maskUrlCredentials(input)).toBe(output);
  });
});

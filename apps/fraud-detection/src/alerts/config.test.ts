import { ConfigError, loadConfig } from '@streamkit/config';
import { describeError } from '@streamkit/runtime';
import { describe, expect, it } from 'vitest';
import { alertsConfigSpec, crossCheckAlertsConfig } from './config.ts';

const base = { ALERTS_API_KEY: 'k'.repeat(16) };

describe('alerts configuration', () => {
  it('loads defaults', () => {
    const config = loadConfig(alertsConfigSpec, base);
    expect(config).toMatchObject({ port: 8090, consoleOpen: false, webhookUrls: [], maxSubscribers: 200 });
    expect(crossCheckAlertsConfig(config)).toEqual([]);
  });

  it('names every malformed variable at once', () => {
    const bad = { ALERTS_API_KEY: 'short', ALERT_WEBHOOK_URLS: 'ftp://x', PORT: 'abc' };
    const error = (() => {
      try {
        loadConfig(alertsConfigSpec, bad);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of Object.keys(bad)) expect(describeError(error)).toContain(name);
  });

  it('refuses an open console off loopback and webhooks without a secret', () => {
    const config = loadConfig(alertsConfigSpec, {
      ...base,
      ALERTS_CONSOLE_OPEN: 'true',
      HOST: '0.0.0.0',
      ALERT_WEBHOOK_URLS: 'https://hooks.example/fraud',
    });
    expect(crossCheckAlertsConfig(config)).toEqual([
      'ALERTS_CONSOLE_OPEN=true puts the API key into the page: only with HOST=127.0.0.1 (got 0.0.0.0)',
      'ALERT_WEBHOOK_URLS is set: ALERT_WEBHOOK_SECRET is required to sign deliveries',
    ]);
  });

  it('needs no secret when this replica only records deliveries (ALERT_WEBHOOK_WORKER=false)', () => {
    const config = loadConfig(alertsConfigSpec, {
      ...base,
      ALERT_WEBHOOK_URLS: 'https://hooks.example/fraud',
      ALERT_WEBHOOK_WORKER: 'false',
    });
    expect(config.webhookWorker).toBe(false);
    expect(crossCheckAlertsConfig(config)).toEqual([]);
  });
});

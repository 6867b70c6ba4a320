import { env, httpServerEnv, pageSessionsEnv } from '@streamkit/config';
import { fraudCommonEnv } from '../common/env.ts';

const isHttpUrl = (item: string) => URL.canParse(item) && /^https?:$/.test(new URL(item).protocol);

/** Everything the alert service reads from the environment (loaded once, by startService). */
export const alertsConfigSpec = Object.freeze({
  ...fraudCommonEnv,
  ...httpServerEnv(8090),
  apiKey: env.secret('ALERTS_API_KEY', { minLength: 16 }),
  /** Demo only: embed the API key in the console page. Refused unless HOST is a loopback address. */
  consoleOpen: env.bool('ALERTS_CONSOLE_OPEN', { default: false }),
  /** Partitions of fraud.alerts when this service creates it first (the detector uses the same). */
  paymentsPartitions: env.int('PAYMENTS_PARTITIONS', { default: 3, min: 1, max: 1000 }),
  groupId: env.string('ALERTS_GROUP_ID', { default: 'fraud-alerts', pattern: /^[A-Za-z0-9._-]+$/ }),
  streamHeartbeatMs: env.int('ALERTS_STREAM_HEARTBEAT_MS', { default: 15_000, min: 100, max: 300_000 }),
  maxSubscribers: env.int('ALERTS_MAX_SUBSCRIBERS', { default: 200, min: 1, max: 10_000 }),
  maxSubscribersPerAddress: env.int('ALERTS_MAX_SUBSCRIBERS_PER_ADDRESS', {
    default: 20,
    min: 1,
    max: 10_000,
  }),
  /** A stream resumed from further back than this many change-log ids starts with `event: reset`. */
  streamMaxReplay: env.int('ALERTS_STREAM_MAX_REPLAY', { default: 10_000, min: 0, max: 1_000_000 }),
  /** The console's sessions (POST /session): lifetime, and how many one client address gets a minute. */
  sessionTtlS: env.int('ALERTS_SESSION_TTL_S', { default: 900, min: 10, max: 86_400 }),
  ...pageSessionsEnv('ALERTS'),
  webhookUrls: env.list('ALERT_WEBHOOK_URLS', {
    default: [],
    item: { test: isHttpUrl, expected: 'http(s) URLs' },
  }),
  webhookSecret: env.secret('ALERT_WEBHOOK_SECRET', { optional: true, minLength: 16 }),
  /**
   * false: this replica only records deliveries in the outbox (fraud_alert_deliveries) and another
   * replica (or process) sends them; true (default): it sends them too.
   */
  webhookWorker: env.bool('ALERT_WEBHOOK_WORKER', { default: true }),
  webhookMaxAttempts: env.int('ALERT_WEBHOOK_MAX_ATTEMPTS', { default: 8, min: 1, max: 100 }),
  webhookInitialBackoffMs: env.int('ALERT_WEBHOOK_INITIAL_BACKOFF_MS', { default: 1000, min: 1 }),
  webhookMaxBackoffMs: env.int('ALERT_WEBHOOK_MAX_BACKOFF_MS', { default: 300_000, min: 1 }),
  webhookConcurrency: env.int('ALERT_WEBHOOK_CONCURRENCY', { default: 8, min: 1, max: 1000 }),
  webhookTimeoutMs: env.int('ALERT_WEBHOOK_TIMEOUT_MS', { default: 5000, min: 10, max: 600_000 }),
  webhookPollMs: env.int('ALERT_WEBHOOK_POLL_MS', { default: 1000, min: 10, max: 600_000 }),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Settings that are each valid alone but not together; one message naming every problem. */
export function crossCheckAlertsConfig(config: {
  consoleOpen: boolean;
  host: string;
  webhookUrls: readonly string[];
  webhookSecret: string | undefined;
  webhookWorker?: boolean;
  webhookInitialBackoffMs: number;
  webhookMaxBackoffMs: number;
}): string[] {
  const problems: string[] = [];
  if (config.consoleOpen && !LOOPBACK.has(config.host))
    problems.push(
      `ALERTS_CONSOLE_OPEN=true puts the API key into the page: only with HOST=127.0.0.1 (got ${config.host})`,
    );
  if (config.webhookUrls.length > 0 && config.webhookWorker !== false && config.webhookSecret === undefined)
    problems.push('ALERT_WEBHOOK_URLS is set: ALERT_WEBHOOK_SECRET is required to sign deliveries');
  if (config.webhookMaxBackoffMs < config.webhookInitialBackoffMs)
    problems.push('ALERT_WEBHOOK_MAX_BACKOFF_MS must be >= ALERT_WEBHOOK_INITIAL_BACKOFF_MS');
  return problems;
}

import { hostname } from 'node:os';
import { env } from '@streamkit/config';
import { iotCommonEnv } from '../common/env.ts';
import { iotTopicsEnv } from '../common/topics.ts';

/** The analytics service's environment: the IoT services' common settings plus its own. */
export const analyticsEnv = Object.freeze({
  ...iotCommonEnv,
  ...iotTopicsEnv,
  host: env.string('ANALYTICS_HOST', { default: '0.0.0.0' }),
  port: env.port('ANALYTICS_PORT', { default: 8092, allowZero: true }),
  /** Every /api route takes it (or a dashboard session keyed from it). */
  apiKey: env.secret('ANALYTICS_API_KEY', { minLength: 16 }),
  /** Dashboard sessions (POST /session) one client address gets per minute. */
  sessionsPerMinute: env.int('ANALYTICS_SESSIONS_PER_ADDRESS_PER_MINUTE', {
    default: 10,
    min: 1,
    max: 10_000,
  }),
  /** Each replica reads every alert (it fans them out to its own dashboards): its own group. */
  instanceId: env.string('ANALYTICS_INSTANCE_ID', { default: hostname(), pattern: /^[A-Za-z0-9._-]+$/ }),
  sqlMaxRows: env.int('ANALYTICS_SQL_MAX_ROWS', { default: 1000, min: 1, max: 100_000 }),
  sqlTimeoutMs: env.int('ANALYTICS_SQL_TIMEOUT_MS', { default: 5000, min: 100, max: 120_000 }),
  duckdbMemoryLimit: env.string('ANALYTICS_DUCKDB_MEMORY_LIMIT', {
    default: '512MB',
    pattern: /^\d+(KB|MB|GB)$/,
  }),
  livePollMs: env.int('ANALYTICS_LIVE_POLL_MS', { default: 500, min: 50, max: 60_000 }),
});

import { hostname } from 'node:os';
import { env, pageSessionsEnv } from '@streamkit/config';
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
  ...pageSessionsEnv('ANALYTICS'),
  /** Each replica reads every alert (it fans them out to its own dashboards): its own group. */
  instanceId: env.string('ANALYTICS_INSTANCE_ID', { default: hostname(), pattern: /^[A-Za-z0-9._-]+$/ }),
  /** Required in x-api-key by POST /api/sql; unset, the endpoint is off (403). */
  sqlKey: env.secret('ANALYTICS_SQL_KEY', { optional: true, minLength: 16 }),
  sqlMaxRows: env.int('ANALYTICS_SQL_MAX_ROWS', { default: 1000, min: 1, max: 100_000 }),
  /** The result's size as JSON; past it the answer is 413, whatever the row count. */
  sqlMaxBytes: env.int('ANALYTICS_SQL_MAX_BYTES', {
    default: 4 * 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
  /** From asking to answer, the wait for the serial queue included. */
  sqlTimeoutMs: env.int('ANALYTICS_SQL_TIMEOUT_MS', { default: 5000, min: 100, max: 120_000 }),
  /** The same for the API's own lake queries (series, anomalies, fleet). */
  queryTimeoutMs: env.int('ANALYTICS_QUERY_TIMEOUT_MS', { default: 10_000, min: 100, max: 120_000 }),
  /** Lake queries (API and SQL) queued or running at once: in all (503 past it) and per client address (429). */
  queriesInFlight: env.int('ANALYTICS_QUERIES_IN_FLIGHT', { default: 16, min: 1, max: 1000 }),
  queriesPerClient: env.int('ANALYTICS_QUERIES_PER_CLIENT', { default: 4, min: 1, max: 1000 }),
  duckdbMemoryLimit: env.string('ANALYTICS_DUCKDB_MEMORY_LIMIT', {
    default: '512MB',
    pattern: /^\d+(KB|MB|GB)$/,
  }),
  livePollMs: env.int('ANALYTICS_LIVE_POLL_MS', { default: 500, min: 50, max: 60_000 }),
});

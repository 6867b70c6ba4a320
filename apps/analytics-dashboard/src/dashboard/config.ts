import { env } from '@streamkit/config';
import { dashboardCommonEnv } from '../common/env.ts';
import { viewsEngineEnv } from '../views/config.ts';

/** Everything the dashboard service reads from the environment (loaded once, in main.ts). */
export const dashboardConfigSpec = Object.freeze({
  ...dashboardCommonEnv,
  ...viewsEngineEnv,
  port: env.port('PORT', { default: 8094, allowZero: true }),
  host: env.string('HOST', { default: '0.0.0.0' }),
  /** Every /api route takes it, or a session the page obtains (POST /session, keyed from it). */
  apiKey: env.secret('DASHBOARD_API_KEY', { minLength: 16 }),
  /** Page sessions one client address gets per minute. */
  sessionsPerMinute: env.int('DASHBOARD_SESSIONS_PER_ADDRESS_PER_MINUTE', {
    default: 10,
    min: 1,
    max: 10_000,
  }),
  /** PostgreSQL engine: how often the views' version is checked while a page listens. */
  pollIntervalMs: env.int('DASHBOARD_POLL_MS', { default: 500, min: 10, max: 1000 }),
  streamHeartbeatMs: env.int('DASHBOARD_STREAM_HEARTBEAT_MS', { default: 15_000, min: 1000, max: 300_000 }),
  maxSubscribers: env.int('DASHBOARD_MAX_SUBSCRIBERS', { default: 200, min: 1, max: 10_000 }),
});

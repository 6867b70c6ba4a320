import { env, httpServerEnv, pageSessionsEnv } from '@streamkit/config';
import { dashboardCommonEnv } from '../common/env.ts';
import { viewsEngineEnv } from '../views/config.ts';

/** Everything the dashboard service reads from the environment (loaded once, in main.ts). */
export const dashboardConfigSpec = Object.freeze({
  ...dashboardCommonEnv,
  ...viewsEngineEnv,
  ...httpServerEnv(8094),
  /** Every /api route takes it, or a session the page obtains (POST /session, keyed from it). */
  apiKey: env.secret('DASHBOARD_API_KEY', { minLength: 16 }),
  /** Page sessions one client address gets per minute. */
  ...pageSessionsEnv('DASHBOARD'),
  /** PostgreSQL engine: how often the views' version is checked while a page listens. */
  pollIntervalMs: env.int('DASHBOARD_POLL_MS', { default: 500, min: 10, max: 1000 }),
  streamHeartbeatMs: env.int('DASHBOARD_STREAM_HEARTBEAT_MS', { default: 15_000, min: 1000, max: 300_000 }),
  maxSubscribers: env.int('DASHBOARD_MAX_SUBSCRIBERS', { default: 200, min: 1, max: 10_000 }),
});

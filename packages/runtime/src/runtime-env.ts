import { env } from '@streamkit/config';

/** Settings every service has, merged into its own configuration spec by startService. */
export const runtimeEnv = {
  logLevel: env.enum('LOG_LEVEL', ['error', 'warn', 'info', 'debug', 'silent'], { default: 'info' }),
  /** After this long a shutdown that has not finished exits with code 1. */
  shutdownTimeoutMs: env.int('SHUTDOWN_TIMEOUT_MS', { default: 30_000, min: 1000, max: 600_000 }),
};

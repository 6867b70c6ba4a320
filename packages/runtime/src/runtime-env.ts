import { env } from '@streamkit/config';

/** Settings every service has, merged into its own configuration spec by startService. */
export const runtimeEnv = {
  logLevel: env.enum('LOG_LEVEL', ['error', 'warn', 'info', 'debug', 'silent'], { default: 'info' }),
  /** After this long a shutdown that has not finished exits with code 1. */
  shutdownTimeoutMs: env.int('SHUTDOWN_TIMEOUT_MS', { default: 30_000, min: 1000, max: 600_000 }),
  /**
   * How long a start waits for a dependency that is down (Kafka, PostgreSQL, Redis) before it fails;
   * 0: as long as it takes (an outage is waited out, not crash-looped; SIGTERM ends the wait).
   */
  startupWaitMs: env.int('STARTUP_WAIT_MS', { default: 0, min: 0, max: 86_400_000 }),
};

import { describeError, type Logger } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { createPgListener } from './pg-listener.ts';
import { createSerialReloader } from './serial-reloader.ts';

export interface HotReloaderSettings<T> {
  /** LISTEN holds one connection of this pool for as long as the reloader runs. */
  readonly pool: Pool;
  /** NOTIFY on this channel reloads at once. */
  readonly channel: string;
  /** Fallback period: covers notifications lost while the LISTEN connection was down. */
  readonly pollIntervalMs: number;
  /** Reads the value; given the current one, it may return it unchanged. A rejection keeps the current. */
  readonly load: (current: T | undefined) => Promise<T>;
  /** Called after a load that returned another value than the current one. */
  readonly onChange?: (next: T, previous: T | undefined) => void;
  readonly logger: Logger;
  /** What is reloaded, for log lines ("rules", "model"). */
  readonly what: string;
}

export interface HotReloader<T> {
  /** Loads once (rejects when that fails), then follows NOTIFY and the poll. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The last value loaded successfully (undefined before start). */
  current(): T | undefined;
  /** Loads now; loads requested while one runs share one follow-up load. */
  reload(): Promise<void>;
}

/**
 * A value read from PostgreSQL and kept fresh: NOTIFY on `channel` reloads at once, a periodic
 * poll covers what LISTEN missed, and a reconnected LISTEN reloads too. A failed load is logged,
 * keeps the last good value and is retried by the next notification or poll.
 */
export function createHotReloader<T>(settings: HotReloaderSettings<T>): HotReloader<T> {
  if (!Number.isInteger(settings.pollIntervalMs) || settings.pollIntervalMs <= 0)
    throw new RangeError(`pollIntervalMs must be a positive integer (got ${settings.pollIntervalMs})`);
  const { logger, what } = settings;
  let value: T | undefined;
  let timer: NodeJS.Timeout | undefined;

  const reload = createSerialReloader(async () => {
    const previous = value;
    const next = await settings.load(previous);
    value = next;
    if (next !== previous) settings.onChange?.(next, previous);
  });
  const reloadLogged = () => {
    reload().catch((error: unknown) =>
      logger.warn(`${what} reload failed; keeping the current one`, { error: describeCause(error) }),
    );
  };
  const listener = createPgListener({
    pool: settings.pool,
    channels: [settings.channel],
    onNotification: reloadLogged,
    onConnected: reloadLogged,
    logger,
  });

  return {
    async start() {
      await reload();
      await listener.start();
      timer = setInterval(reloadLogged, settings.pollIntervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await listener.stop();
    },
    current: () => value,
    reload,
  };
}

/** The error and what caused it, on one line. */
function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? `: ${describeError(error.cause)}` : '';
  return `${describeError(error)}${cause}`;
}

import { describeError, type Logger } from '@streamkit/runtime';
import type { Pool, PoolClient } from 'pg';

export interface PgListenerSettings {
  readonly pool: Pool;
  readonly channels: readonly string[];
  readonly onNotification: (channel: string, payload: string) => void;
  /** Called after every (re)connection: notifications sent while disconnected were missed. */
  readonly onConnected: () => void;
  readonly logger: Logger;
  /** Reconnect backoff: doubles from `initialRetryMs` up to `maxRetryMs`. */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
}

export interface PgListener {
  /** Resolves once LISTEN is active on every channel; rejects when the first connection fails. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * LISTEN on a dedicated pooled connection (a LISTEN lives as long as its session), reconnecting
 * with backoff when the connection is lost. Callers reload on `onConnected` to cover the gap.
 */
export function createPgListener(settings: PgListenerSettings): PgListener {
  const { pool, channels, logger } = settings;
  const initialRetryMs = settings.initialRetryMs ?? 500;
  const maxRetryMs = settings.maxRetryMs ?? 30_000;
  let client: PoolClient | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;

  async function connect(): Promise<void> {
    const c = await pool.connect();
    const lost = (error: Error) => onLost(c, error);
    c.on('error', lost);
    c.on('end', () => lost(new Error('connection ended')));
    c.on('notification', (message) => settings.onNotification(message.channel, message.payload ?? ''));
    try {
      for (const channel of channels) await c.query(`listen ${quoteIdent(channel)}`);
    } catch (error) {
      discard(c);
      throw error;
    }
    if (stopped) {
      discard(c);
      return;
    }
    client = c;
    attempt = 0;
    settings.onConnected();
  }

  function onLost(c: PoolClient, error: Error): void {
    if (client !== c) return;
    client = undefined;
    discard(c); // the session is gone: destroy it rather than return it to the pool
    if (stopped) return;
    logger.warn(`LISTEN connection lost; reconnecting`, { error: error.message, channels });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    const delay = Math.min(maxRetryMs, initialRetryMs * 2 ** attempt);
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn('LISTEN reconnect failed', { error: describeError(error), retryInMs: delay });
        if (!stopped) scheduleReconnect();
      });
    }, delay);
    retryTimer.unref();
  }

  return {
    start: connect,
    async stop() {
      stopped = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      if (c !== undefined) discard(c);
    },
  };
}

/** Destroys the connection; errors while it closes (e.g. the server terminating it) are expected. */
function discard(c: PoolClient): void {
  c.removeAllListeners();
  c.on('error', () => undefined);
  c.release(true);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

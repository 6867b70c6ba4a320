import { describeError, type Logger } from '@streamkit/runtime';
import pg from 'pg';
import { ALERT_EVENTS_CHANNEL, type AlertEvent } from './alert-events.ts';
import type { AlertStore } from './alert-store.ts';
import { AlertsSettingsError } from './errors.ts';

export interface AlertFeedSettings {
  /** A dedicated connection LISTENs (a pooled one would be handed to other queries). */
  readonly databaseUrl: string;
  readonly store: AlertStore;
  readonly logger: Logger;
  /** Called once per dispatched batch of events (e.g. to wake the webhook worker). */
  readonly onEvents?: (events: readonly AlertEvent[]) => void;
  /** Pause before re-connecting a lost LISTEN connection (default 1000 ms). */
  readonly reconnectDelayMs?: number;
}

export interface AlertFeed {
  /** Receives every event committed after this call, in event-id order. Returns unsubscribe. */
  subscribe(listener: (event: AlertEvent) => void): () => void;
  /** The newest event id dispatched to subscribers. */
  readonly position: string;
  close(): Promise<void>;
}

const FETCH_LIMIT = 500;

/**
 * Postgres LISTEN/NOTIFY turned into an in-order event stream. Notifications are only wake-ups:
 * the feed reads fraud_alert_events after the last id it dispatched, so a lost or merged
 * notification loses nothing, and every replica of the service sees every event.
 */
export async function createAlertFeed(settings: AlertFeedSettings): Promise<AlertFeed> {
  const { databaseUrl, store, logger, onEvents } = settings;
  const reconnectDelayMs = settings.reconnectDelayMs ?? 1000;
  if (!Number.isInteger(reconnectDelayMs) || reconnectDelayMs < 1)
    throw new AlertsSettingsError('alert feed', [
      `reconnectDelayMs must be an integer >= 1, got ${reconnectDelayMs}`,
    ]);

  const listeners = new Set<(event: AlertEvent) => void>();
  let position = await store.latestEventId();
  let closed = false;
  let client: pg.Client | undefined;
  let pumping: Promise<void> | undefined;
  let again = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    for (;;) {
      const events = await store.eventsAfter(position, FETCH_LIMIT);
      if (events.length === 0) return;
      for (const event of events) {
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            logger.error('alert feed listener failed', { error: describeError(error) });
          }
        }
      }
      position = events.at(-1)?.eventId ?? position;
      onEvents?.(events);
      if (events.length < FETCH_LIMIT) return;
    }
  }

  // coalesces bursts of notifications into one read at a time
  function pump(): void {
    if (closed) return;
    if (pumping !== undefined) {
      again = true;
      return;
    }
    pumping = drain()
      .catch((error: unknown) => logger.warn('alert feed read failed', { error: describeError(error) }))
      .finally(() => {
        pumping = undefined;
        if (again) {
          again = false;
          pump();
        }
      });
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', pump);
    next.on('error', (error) => {
      logger.warn('alert feed connection lost; reconnecting', { error: error.message });
      next.end().catch(() => undefined);
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`listen ${ALERT_EVENTS_CHANNEL}`);
    client = next;
    pump(); // catch up on whatever committed while we were not listening
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer !== undefined) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn('alert feed reconnect failed', { error: describeError(error) });
        scheduleReconnect();
      });
    }, reconnectDelayMs);
  }

  await connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get position() {
      return position;
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      await pumping;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

import { ViewsSettingsError } from '../views/errors.ts';
import type { Queryable } from './view-reader.ts';

/** Tells the dashboard that the views (may) have changed. */
export interface ViewsChangeFeed {
  /** `onChange` runs after each change; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** Fan-out of change ticks to subscribers (shared by every feed). */
export function createListeners(): {
  add(fn: () => void): () => void;
  notify(): void;
  readonly size: number;
} {
  const listeners = new Set<() => void>();
  return {
    add(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    notify() {
      for (const fn of [...listeners]) fn();
    },
    get size() {
      return listeners.size;
    },
  };
}

export interface PollingFeedSettings {
  readonly db: Queryable;
  /** How often the version row is read while someone listens (<= 1000 ms: updates every second). */
  readonly intervalMs: number;
  readonly onError?: (error: Error) => void;
}

/**
 * PostgreSQL engine: every statement that writes a table behind a view bumps dash_views_version
 * (a statement trigger, migration 005), whoever runs it;
 * polling that one row is cheap, and the views are read again only when it moved.
 */
export function createPollingChangeFeed(settings: PollingFeedSettings): ViewsChangeFeed {
  const { db, intervalMs, onError } = settings;
  if (!Number.isInteger(intervalMs) || intervalMs < 10 || intervalMs > 1000)
    throw new ViewsSettingsError('polling change feed', [
      `intervalMs must be an integer in 10..1000, got ${intervalMs}`,
    ]);
  const listeners = createListeners();
  let last: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let closed = false;

  async function poll(): Promise<void> {
    if (polling || closed) return;
    polling = true;
    try {
      const { rows } = await db.query<{ version: string }>(
        'select version::text as version from dash_views_version where id = 1',
      );
      const version = rows[0]?.version;
      if (version !== undefined && version !== last) {
        last = version;
        listeners.notify();
      }
    } catch (error) {
      onError?.(error as Error);
    } finally {
      polling = false;
    }
  }

  return {
    subscribe(onChange) {
      const remove = listeners.add(onChange);
      timer ??= setInterval(() => void poll(), intervalMs);
      return () => {
        remove();
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
          last = undefined;
        }
      };
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

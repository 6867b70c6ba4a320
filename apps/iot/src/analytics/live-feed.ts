import type { IotAlert } from '@streamkit/schemas';
import type { LiveStore, LiveWindow } from './live-store.ts';

export type LiveEvent =
  | { readonly kind: 'alert'; readonly data: IotAlert }
  | { readonly kind: 'window'; readonly data: LiveWindow };

export interface LiveFeed {
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** Alerts come from the alerts topic's consumer (main.ts). */
  publishAlert(alert: IotAlert): void;
  close(): void;
}

export interface LiveFeedSettings {
  /** How often Postgres is asked for changed windows. */
  readonly pollMs: number;
  readonly maxSubscribers: number;
}

/** Fans alerts and window updates out to the dashboard's SSE streams. */
export function createLiveFeed(
  store: LiveStore,
  settings: LiveFeedSettings,
  onError: (error: Error) => void,
): LiveFeed {
  if (!Number.isInteger(settings.pollMs) || settings.pollMs < 50)
    throw new RangeError(`pollMs must be an integer >= 50, got ${settings.pollMs}`);
  const listeners = new Set<(event: LiveEvent) => void>();
  let cursor = new Date().toISOString();
  let polling = false;
  const emit = (event: LiveEvent) => {
    for (const l of listeners) l(event);
  };
  const timer = setInterval(async () => {
    if (polling || listeners.size === 0) return;
    polling = true;
    try {
      const changed = await store.changedSince(cursor, 1000);
      cursor = changed.cursor;
      for (const w of changed.windows) emit({ kind: 'window', data: w });
    } catch (error) {
      onError(error as Error);
    } finally {
      polling = false;
    }
  }, settings.pollMs);
  return {
    subscribe(listener) {
      if (listeners.size >= settings.maxSubscribers) throw new Error('too many live subscribers');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publishAlert: (alert) => emit({ kind: 'alert', data: alert }),
    close() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}

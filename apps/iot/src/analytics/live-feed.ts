import type { IotAlert } from '@streamkit/schemas';
import type { LiveStore, LiveWindow } from './live-store.ts';

export type LiveEvent =
  | { readonly kind: 'alert'; readonly data: IotAlert }
  | { readonly kind: 'window'; readonly data: LiveWindow };

export interface LiveFeed {
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** Alerts come from the alerts topic's consumer (service.ts). */
  publishAlert(alert: IotAlert): void;
  /** Windows are polled only while someone watches (an open dashboard stream). */
  setWatched(watched: boolean): void;
  close(): void;
}

export interface LiveFeedSettings {
  /** How often Postgres is asked for changed windows. */
  readonly pollMs: number;
  /** How far behind the newest change each poll looks again for late-committed ones (default 10 s). */
  readonly overlapMs?: number;
}

/**
 * Alerts and window updates for the dashboard's SSE streams. While nobody watches, windows are not
 * polled; the first poll after that re-reads from the newest change it saw, so none is skipped.
 */
export function createLiveFeed(
  store: LiveStore,
  settings: LiveFeedSettings,
  onError: (error: unknown) => void,
): LiveFeed {
  if (!Number.isInteger(settings.pollMs) || settings.pollMs < 50)
    throw new RangeError(`pollMs must be an integer >= 50, got ${settings.pollMs}`);
  const listeners = new Set<(event: LiveEvent) => void>();
  // updated_at is the upserting transaction's start time, so a row can become visible after a poll
  // has moved past its timestamp. Each poll therefore re-reads an overlap behind the newest
  // timestamp seen and skips the (window, updated_at) pairs it already sent.
  const overlapMs = settings.overlapMs ?? 10_000;
  const sent = new Map<string, string>();
  let newestMs = Date.now();
  let polling = false;
  let watched = false;
  const emit = (event: LiveEvent) => {
    for (const l of listeners) l(event);
  };
  const timer = setInterval(async () => {
    if (polling || !watched) return;
    polling = true;
    try {
      const sinceMs = newestMs - overlapMs;
      const changed = await store.changedSince(new Date(sinceMs).toISOString(), 20_000);
      for (const w of changed.windows) {
        const key = `${w.deviceId}\u0000${w.windowStart}`;
        if (sent.get(key) === w.updatedAt) continue;
        sent.set(key, w.updatedAt);
        newestMs = Math.max(newestMs, Date.parse(w.updatedAt));
        emit({ kind: 'window', data: w });
      }
      for (const [key, at] of sent) if (Date.parse(at) < sinceMs) sent.delete(key);
    } catch (error) {
      onError(error);
    } finally {
      polling = false;
    }
  }, settings.pollMs);
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publishAlert: (alert) => emit({ kind: 'alert', data: alert }),
    setWatched(value) {
      watched = value;
    },
    close() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}

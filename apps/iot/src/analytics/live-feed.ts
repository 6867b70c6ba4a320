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
}

/**
 * Alerts and window updates for the dashboard's SSE streams. Every window change committed after
 * the feed was created is published, at its latest state, at least once: each poll reads the
 * windows committed since the previous poll's snapshot (`LiveStore.changesSince`), which does not
 * depend on how long a writer's transaction ran or in which order transactions committed. While
 * nobody watches, windows are not polled; the first poll after that reads everything since the
 * last one, so none is skipped.
 */
export async function createLiveFeed(
  store: LiveStore,
  settings: LiveFeedSettings,
  onError: (error: unknown) => void,
): Promise<LiveFeed> {
  if (!Number.isInteger(settings.pollMs) || settings.pollMs < 50)
    throw new RangeError(`pollMs must be an integer >= 50, got ${settings.pollMs}`);
  const listeners = new Set<(event: LiveEvent) => void>();
  // taken before any stream opens, so a dashboard's snapshot is never older than the feed's start
  let position = await store.position();
  let polling = false;
  let watched = false;
  const emit = (event: LiveEvent) => {
    for (const l of listeners) l(event);
  };
  const timer = setInterval(async () => {
    if (polling || !watched) return;
    polling = true;
    try {
      // a poll that fails part-way keeps its position: the next one sends those pages again
      position = await store.changesSince(position, (windows) => {
        for (const w of windows) emit({ kind: 'window', data: w });
      });
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

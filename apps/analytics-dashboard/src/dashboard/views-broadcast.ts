import { VIEW_NAMES, type ViewName } from '../views/catalog.ts';
import type { ViewsChangeFeed } from './change-feed.ts';
import type { ViewReader, ViewRow } from './view-reader.ts';

/** What the stream pushes: the latest windows of every view, read once for all subscribers. */
export interface ViewsSnapshot {
  readonly seq: number;
  readonly at: string;
  readonly views: Readonly<Record<ViewName, readonly ViewRow[]>>;
}

export interface ViewsBroadcast {
  /** The latest snapshot (read now when there is none yet). */
  current(): Promise<ViewsSnapshot>;
  /** Called with each new snapshot; returns the unsubscribe function. */
  subscribe(onSnapshot: (snapshot: ViewsSnapshot) => void): () => void;
  readonly subscriberCount: number;
}

/** Windows per view in a pushed snapshot: what the page's charts and tables show. */
export const streamWindows: Readonly<Record<ViewName, number>> = {
  requests_per_second: 120,
  requests_per_10s: 60,
  status_per_minute: 30,
  error_rate_per_minute: 30,
  latency_per_route_per_minute: 5,
  top_paths_5m: 1,
  unique_clients_per_minute: 30,
};

/**
 * One reader for all stream subscribers: on each change tick the views are read once and the
 * snapshot fanned out, so the database work does not grow with the number of open pages.
 */
export function createViewsBroadcast(deps: {
  reader: ViewReader;
  feed: ViewsChangeFeed;
  onError?: (error: Error) => void;
}): ViewsBroadcast {
  const { reader, feed, onError } = deps;
  const subscribers = new Set<(s: ViewsSnapshot) => void>();
  let seq = 0;
  let latest: ViewsSnapshot | undefined;
  let reading: Promise<ViewsSnapshot> | undefined;
  let again = false;
  let unsubscribeFeed: (() => void) | undefined;

  async function read(): Promise<ViewsSnapshot> {
    const entries = await Promise.all(
      VIEW_NAMES.map(
        async (name) => [name, (await reader.read(name, { limit: streamWindows[name] })).rows] as const,
      ),
    );
    latest = {
      seq: ++seq,
      at: new Date().toISOString(),
      views: Object.fromEntries(entries) as ViewsSnapshot['views'],
    };
    return latest;
  }

  // ticks that arrive while a read runs coalesce into one more read
  function refresh(): void {
    if (reading !== undefined) {
      again = true;
      return;
    }
    reading = read();
    reading
      .then((snapshot) => {
        for (const fn of [...subscribers]) fn(snapshot);
      })
      .catch((error: unknown) => onError?.(error as Error))
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  return {
    current: () => (latest === undefined ? (reading ?? read()) : Promise.resolve(latest)),
    subscribe(onSnapshot) {
      subscribers.add(onSnapshot);
      unsubscribeFeed ??= feed.subscribe(refresh);
      return () => {
        subscribers.delete(onSnapshot);
        if (subscribers.size === 0) {
          unsubscribeFeed?.();
          unsubscribeFeed = undefined;
          // nobody listens: the next subscriber must not get a stale snapshot
          latest = undefined;
        }
      };
    },
    get subscriberCount() {
      return subscribers.size;
    },
  };
}

import type { DeviceRegistry } from './device-registry.ts';

export interface LastSeenTracker {
  /** Notes an accepted reading (cheap: a Map update; written in the next flush). */
  seen(deviceId: string, ts: string): void;
  /** Writes what was noted since the last flush. */
  flush(): Promise<void>;
  /** Flushes every `intervalMs` until stop(); errors go to `onError` and the entries are kept. */
  start(intervalMs: number, onError: (error: unknown) => void): void;
  stop(): Promise<void>;
}

/** Batches last-seen updates: one UPDATE per interval for all devices heard from, not one per reading. */
export function createLastSeenTracker(registry: Pick<DeviceRegistry, 'touch'>): LastSeenTracker {
  let noted = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function flush(): Promise<void> {
    if (noted.size === 0) return;
    const batch = noted;
    noted = new Map();
    try {
      await registry.touch(batch);
    } catch (error) {
      for (const [id, ts] of batch) if (!noted.has(id)) noted.set(id, ts);
      throw error;
    }
  }

  return {
    seen(deviceId, ts) {
      const previous = noted.get(deviceId);
      // ISO-8601 UTC strings of one format compare in time order; mixed offsets are rare and only
      // make last_reading_ts slightly older (GREATEST in SQL keeps the true maximum anyway)
      if (previous === undefined || ts > previous) noted.set(deviceId, ts);
    },
    flush,
    start(intervalMs, onError) {
      timer = setInterval(() => {
        if (running !== undefined) return;
        running = flush()
          .catch(onError)
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
      await flush();
    },
  };
}

import { createExpiringCache } from '@streamkit/runtime';
import type { DeviceRegistry, DeviceStatus } from './device-registry.ts';
import { HubSettingsError } from './errors.ts';

export type DeviceVerdict = DeviceStatus | 'unknown';

export interface DeviceCacheSettings {
  /** How long a looked-up status (including "unknown") is trusted before it is read again. */
  readonly ttlMs: number;
  /** Misses arriving within this window share one registry query. */
  readonly batchWindowMs: number;
  /** Entries kept at most; beyond it the oldest are dropped (bounded memory under id floods). */
  readonly maxEntries: number;
}

export const defaultDeviceCacheSettings: DeviceCacheSettings = {
  ttlMs: 10_000,
  batchWindowMs: 2,
  maxEntries: 200_000,
};

export interface DeviceCache {
  /** The device's status, from the cache or (batched) from the registry. */
  verdict(deviceId: string): Promise<DeviceVerdict>;
  /** Sets an entry now (the hub's own registry API changed it). */
  set(deviceId: string, status: DeviceVerdict): void;
  readonly size: number;
}

/**
 * A read-through cache of device statuses. Hub replicas each hold one: a device disabled through
 * another replica is refused here within `ttlMs`. Misses are batched into one `= ANY($1)` query,
 * so a cold start with 100,000 devices costs a few hundred queries, not 100,000.
 */
export function createDeviceCache(
  registry: Pick<DeviceRegistry, 'statuses'>,
  input: Partial<DeviceCacheSettings> = {},
  now: () => number = Date.now,
): DeviceCache {
  const settings = { ...defaultDeviceCacheSettings, ...input };
  const problems: string[] = [];
  if (!Number.isInteger(settings.ttlMs) || settings.ttlMs < 0) problems.push('ttlMs must be an integer >= 0');
  if (
    !Number.isInteger(settings.batchWindowMs) ||
    settings.batchWindowMs < 0 ||
    settings.batchWindowMs > 1000
  )
    problems.push('batchWindowMs must be an integer in 0..1000');
  if (!Number.isInteger(settings.maxEntries) || settings.maxEntries < 1)
    problems.push('maxEntries must be >= 1');
  if (problems.length > 0) throw new HubSettingsError('device cache', problems);

  const entries = createExpiringCache<string, DeviceVerdict>(settings.maxEntries);
  let pending = new Map<string, PromiseWithResolvers<DeviceVerdict>[]>();
  let flushScheduled = false;

  function store(deviceId: string, verdict: DeviceVerdict): void {
    entries.set(deviceId, verdict, now() + settings.ttlMs);
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    const batch = pending;
    pending = new Map();
    try {
      const statuses = await registry.statuses([...batch.keys()]);
      for (const [deviceId, waiters] of batch) {
        const verdict = statuses.get(deviceId) ?? 'unknown';
        store(deviceId, verdict);
        for (const w of waiters) w.resolve(verdict);
      }
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }

  return {
    verdict(deviceId) {
      const cached = entries.get(deviceId, now());
      if (cached !== undefined) return Promise.resolve(cached);
      const waiter = Promise.withResolvers<DeviceVerdict>();
      const waiters = pending.get(deviceId);
      if (waiters) waiters.push(waiter);
      else pending.set(deviceId, [waiter]);
      if (!flushScheduled) {
        flushScheduled = true;
        setTimeout(() => void flush(), settings.batchWindowMs);
      }
      return waiter.promise;
    },
    set: store,
    get size() {
      return entries.size;
    },
  };
}

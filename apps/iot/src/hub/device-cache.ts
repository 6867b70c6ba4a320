import { backoffDelayMs, createExpiringCache } from '@streamkit/runtime';
import type { DeviceRegistry, DeviceStatus } from './device-registry.ts';
import { HubSettingsError } from './errors.ts';

export type DeviceVerdict = DeviceStatus | 'unknown';

export interface DeviceCacheSettings {
  /** How long a looked-up status (including "unknown") is trusted before it is read again. */
  readonly ttlMs: number;
  /**
   * While the registry cannot be read, a status expired at most this long ago is still answered
   * (stale-if-error): an outage of PostgreSQL does not stop known devices' readings.
   */
  readonly staleIfErrorMs: number;
  /** Misses arriving within this window share one registry query. */
  readonly batchWindowMs: number;
  /** Entries kept at most; beyond it the oldest are dropped (bounded memory under id floods). */
  readonly maxEntries: number;
}

export const defaultDeviceCacheSettings: DeviceCacheSettings = {
  ttlMs: 10_000,
  staleIfErrorMs: 300_000,
  batchWindowMs: 2,
  maxEntries: 200_000,
};

/** After a failed query, stale statuses are answered without asking again for this long. */
const REGISTRY_RETRY_MS = 1000;
/** How a lookup that must wait for the registry (a device never seen) retries. */
const waitPolicy = { initialBackoffMs: 200, maxBackoffMs: 5000 };

/** Since when and why the registry cannot be read (statuses are answered stale meanwhile). */
export interface RegistryOutage {
  readonly since: number;
  readonly message: string;
}

export interface DeviceCacheHooks {
  /** A status answered from an expired entry because the registry could not be read. */
  readonly onStale?: () => void;
}

export interface DeviceCache {
  /**
   * The device's status, from the cache or (batched) from the registry. While the registry cannot
   * be read, an entry expired less than `staleIfErrorMs` ago is answered; without one the lookup
   * rejects, or, given `waitUntil`, retries with backoff until the registry answers or it aborts.
   */
  verdict(deviceId: string, waitUntil?: AbortSignal): Promise<DeviceVerdict>;
  /** Sets an entry now (the hub's own registry API changed it). */
  set(deviceId: string, status: DeviceVerdict): void;
  /** Set while the last registry query failed; cleared by the next one that succeeds. */
  outage(): RegistryOutage | undefined;
  readonly size: number;
}

interface Entry {
  readonly verdict: DeviceVerdict;
  /** Until then the verdict is answered without a query; after, only if the registry fails. */
  readonly freshUntil: number;
}

function validate(settings: DeviceCacheSettings): void {
  const problems: string[] = [];
  if (!Number.isInteger(settings.ttlMs) || settings.ttlMs < 0) problems.push('ttlMs must be an integer >= 0');
  if (!Number.isInteger(settings.staleIfErrorMs) || settings.staleIfErrorMs < 0)
    problems.push('staleIfErrorMs must be an integer >= 0');
  if (
    !Number.isInteger(settings.batchWindowMs) ||
    settings.batchWindowMs < 0 ||
    settings.batchWindowMs > 1000
  )
    problems.push('batchWindowMs must be an integer in 0..1000');
  if (!Number.isInteger(settings.maxEntries) || settings.maxEntries < 1)
    problems.push('maxEntries must be >= 1');
  if (problems.length > 0) throw new HubSettingsError('device cache', problems);
}

/**
 * A read-through cache of device statuses. Hub replicas each hold one: a device disabled through
 * another replica is refused here within `ttlMs` (while the registry is reachable: during an outage
 * the last known status is answered for up to `staleIfErrorMs`). Misses are batched into one
 * `= ANY($1)` query, so a cold start with 100,000 devices costs a few hundred queries, not 100,000.
 */
export function createDeviceCache(
  registry: Pick<DeviceRegistry, 'statuses'>,
  input: Partial<DeviceCacheSettings> = {},
  now: () => number = Date.now,
  hooks: DeviceCacheHooks = {},
): DeviceCache {
  const settings = { ...defaultDeviceCacheSettings, ...input };
  validate(settings);

  // kept past their freshness for the stale-if-error window
  const entries = createExpiringCache<string, Entry>(settings.maxEntries);
  let pending = new Map<string, PromiseWithResolvers<DeviceVerdict>[]>();
  let flushScheduled = false;
  let failing: (RegistryOutage & { retryAt: number; error: unknown }) | undefined;

  function store(deviceId: string, verdict: DeviceVerdict): void {
    const freshUntil = now() + settings.ttlMs;
    entries.set(deviceId, { verdict, freshUntil }, freshUntil + settings.staleIfErrorMs);
  }

  function stale(entry: Entry): DeviceVerdict {
    hooks.onStale?.();
    return entry.verdict;
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    const batch = pending;
    pending = new Map();
    try {
      const statuses = await registry.statuses([...batch.keys()]);
      failing = undefined;
      for (const [deviceId, waiters] of batch) {
        const verdict = statuses.get(deviceId) ?? 'unknown';
        store(deviceId, verdict);
        for (const w of waiters) w.resolve(verdict);
      }
    } catch (error) {
      const at = now();
      failing = {
        since: failing?.since ?? at,
        message: error instanceof Error ? error.message : String(error),
        retryAt: at + REGISTRY_RETRY_MS,
        error,
      };
      for (const [deviceId, waiters] of batch) {
        const entry = entries.get(deviceId, at);
        for (const w of waiters) {
          if (entry === undefined) w.reject(error);
          else w.resolve(stale(entry));
        }
      }
    }
  }

  function lookup(deviceId: string): Promise<DeviceVerdict> {
    const at = now();
    const entry = entries.get(deviceId, at);
    if (entry !== undefined && entry.freshUntil > at) return Promise.resolve(entry.verdict);
    // the registry failed a moment ago: answer stale (or fail) without piling queries on it
    if (failing !== undefined && at < failing.retryAt)
      return entry === undefined ? Promise.reject(failing.error) : Promise.resolve(stale(entry));
    const waiter = Promise.withResolvers<DeviceVerdict>();
    const waiters = pending.get(deviceId);
    if (waiters) waiters.push(waiter);
    else pending.set(deviceId, [waiter]);
    if (!flushScheduled) {
      flushScheduled = true;
      setTimeout(() => void flush(), settings.batchWindowMs);
    }
    return waiter.promise;
  }

  async function waitForRegistry(deviceId: string, signal: AbortSignal): Promise<DeviceVerdict> {
    for (let retry = 1; ; retry++) {
      try {
        return await lookup(deviceId);
      } catch (error) {
        if (signal.aborted) throw error;
        const delay = backoffDelayMs(Math.min(retry, 16), waitPolicy);
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, delay);
          signal.addEventListener('abort', done, { once: true });
        });
        if (signal.aborted) throw error;
      }
    }
  }

  return {
    verdict: (deviceId, waitUntil) =>
      waitUntil === undefined ? lookup(deviceId) : waitForRegistry(deviceId, waitUntil),
    set: store,
    outage: () => (failing === undefined ? undefined : { since: failing.since, message: failing.message }),
    get size() {
      return entries.size;
    },
  };
}

/** Values kept until they expire, at most `maxEntries` of them. */
export interface ExpiringCache<K, V> {
  /** The value of `key`, if it is set and not expired at `at` (epoch ms). */
  get(key: K, at: number): V | undefined;
  /** Sets `key` until `expiresAt`; past `maxEntries`, the entries set longest ago are dropped first. */
  set(key: K, value: V, expiresAt: number): void;
  readonly size: number;
}

/**
 * The bounded read-through caches of the ingresses (device statuses, unknown tokens, catalog
 * ids): a Map whose insertion order is the eviction order, so a flood of new keys costs a bounded
 * amount of memory and evicts the oldest first. Expired entries are not swept; they are replaced.
 */
export function createExpiringCache<K, V>(maxEntries: number): ExpiringCache<K, V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 0)
    throw new RangeError(`maxEntries must be an integer >= 0, got ${maxEntries}`);
  const entries = new Map<K, { readonly value: V; readonly expiresAt: number }>();
  return {
    get(key, at) {
      const entry = entries.get(key);
      return entry !== undefined && entry.expiresAt > at ? entry.value : undefined;
    },
    set(key, value, expiresAt) {
      entries.delete(key); // re-insert: Map order is the eviction order
      entries.set(key, { value, expiresAt });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * Requests per client address per minute, counted in fixed one-minute windows. State is per process
 * and bounded: at most `maxAddresses` addresses are tracked per window; beyond that new addresses
 * are refused until the window turns, so a flood from many addresses cannot grow memory.
 */
export interface AddressRateLimit {
  /** Takes one request from the address's allowance; the seconds to wait when it is used up. */
  take(address: string, nowMs?: number): { ok: true } | { ok: false; retryAfterS: number };
}

export function createAddressRateLimit(perMinute: number, maxAddresses = 10_000): AddressRateLimit {
  if (!Number.isInteger(perMinute) || perMinute < 1)
    throw new RangeError('perMinute must be an integer >= 1');
  let window = -1;
  let used = new Map<string, number>();
  return {
    take(address, nowMs = Date.now()) {
      const current = Math.floor(nowMs / 60_000);
      if (current !== window) {
        window = current;
        used = new Map();
      }
      const retryAfterS = Math.max(1, Math.ceil(((current + 1) * 60_000 - nowMs) / 1000));
      const before = used.get(address);
      if (before === undefined && used.size >= maxAddresses) return { ok: false, retryAfterS };
      if ((before ?? 0) >= perMinute) return { ok: false, retryAfterS };
      used.set(address, (before ?? 0) + 1);
      return { ok: true };
    },
  };
}

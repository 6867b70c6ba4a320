import { createExpiringCache } from '@streamkit/runtime';
import type { DeviceRegistry, DeviceStatus } from './device-registry.ts';
import { hashDeviceToken } from './tokens.ts';

/** Every token the registry issues has this shape (tokens.ts: `iotd_` + 32 random bytes, base64url). */
const TOKEN_SHAPE = /^iotd_[A-Za-z0-9_-]{43}$/;

export interface TokenLookupSettings {
  /** How long a token the registry does not know is refused without asking again. Default 60 s. */
  readonly negativeTtlMs: number;
  /** Unknown tokens remembered at most (the oldest are forgotten first). Default 100 000. */
  readonly maxNegative: number;
  /** Unknown tokens one client address may present per minute; beyond, 429 without a query. Default 60. */
  readonly unknownPerAddressPerMinute: number;
}

export const defaultTokenLookupSettings: TokenLookupSettings = {
  negativeTtlMs: 60_000,
  maxNegative: 100_000,
  unknownPerAddressPerMinute: 60,
};

export type TokenVerdict =
  | { readonly kind: 'device'; readonly deviceId: string; readonly status: DeviceStatus }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'limited'; readonly retryAfterS: number };

export interface TokenLookup {
  verdict(token: string | undefined, address: string): Promise<TokenVerdict>;
  /** Registry queries made so far (for tests and the curious). */
  readonly queries: number;
}

/**
 * The ingest's token check, with PostgreSQL (a 4-connection pool) behind it guarded: a token not
 * of the issued shape costs nothing; one the registry did not know is remembered (negative cache,
 * keyed by its hash) and refused without a query until `negativeTtlMs`; and an address that
 * presents more than `unknownPerAddressPerMinute` unknown tokens is refused (429) without a query
 * until the minute turns. A known token is always looked up, so a disabled device is refused at once.
 */
export function createTokenLookup(
  registry: Pick<DeviceRegistry, 'deviceForToken'>,
  input: Partial<TokenLookupSettings> = {},
  now: () => number = Date.now,
): TokenLookup {
  const settings = { ...defaultTokenLookupSettings, ...input };
  const unknown = createExpiringCache<string, true>(settings.maxNegative); // token hashes (hex) the registry did not know
  const failures = { window: -1, byAddress: new Map<string, number>() };
  let queries = 0;

  function failuresOf(address: string, at: number): number {
    const window = Math.floor(at / 60_000);
    if (window !== failures.window) {
      failures.window = window;
      failures.byAddress = new Map();
    }
    return failures.byAddress.get(address) ?? 0;
  }

  function limited(address: string, at: number): TokenVerdict | undefined {
    if (failuresOf(address, at) < settings.unknownPerAddressPerMinute) return undefined;
    return {
      kind: 'limited',
      retryAfterS: Math.max(1, Math.ceil(((failures.window + 1) * 60_000 - at) / 1000)),
    };
  }

  function refuse(address: string, at: number): TokenVerdict {
    // bounded like the negative cache: a flood of addresses cannot grow it past maxNegative
    if (failures.byAddress.size < settings.maxNegative || failures.byAddress.has(address))
      failures.byAddress.set(address, failuresOf(address, at) + 1);
    return { kind: 'unknown' };
  }

  return {
    async verdict(token, address) {
      const at = now();
      const overLimit = limited(address, at);
      if (overLimit !== undefined) return overLimit;
      if (token === undefined || !TOKEN_SHAPE.test(token)) return refuse(address, at);
      const key = hashDeviceToken(token).toString('hex');
      if (unknown.get(key, at)) return refuse(address, at);
      queries++;
      const owner = await registry.deviceForToken(token);
      if (owner !== undefined) return { kind: 'device', ...owner };
      unknown.set(key, true, now() + settings.negativeTtlMs);
      return refuse(address, at);
    },
    get queries() {
      return queries;
    },
  };
}

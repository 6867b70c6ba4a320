import { DEFAULT_MAX_FUTURE_SKEW_MS } from '@streamkit/schemas';
import { WebSettingsError } from './errors.ts';

/** The web service's limits and secrets, as buildApp receives them (main.ts maps its config onto this). */
export interface WebSettings {
  /** HMAC key of the storefront's session tokens (POST /sessions → x-session-token). */
  readonly sessionSecret: string;
  /** Optional key for trusted server-side senders (live shoppers, load tests): `x-api-key` skips the session rules. */
  readonly eventsApiKey: string | undefined;
  /** Largest request body accepted; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** Most events in one POST /events. */
  readonly maxBatchSize: number;
  /** POST /events requests handled at once; more get 503 + Retry-After instead of queueing. */
  readonly maxInFlight: number;
  /** Events one storefront session may post per minute; more get 429 + Retry-After. */
  readonly sessionEventsPerMinute: number;
  /** POST /sessions per client address per minute; more get 429 + Retry-After. */
  readonly sessionsPerAddressPerMinute: number;
  /** How long a session token stays valid. */
  readonly sessionTtlS: number;
  /** How long POST /events waits for the broker's ack before answering 503. */
  readonly produceTimeoutMs: number;
  /** Items returned by GET /recommendations without ?limit=, and the most a caller may ask for. */
  readonly defaultLimit: number;
  readonly maxLimit: number;
  /** An event whose `ts` lies further in the future than this is refused (400). */
  readonly maxFutureSkewMs: number;
}

export const defaultWebSettings = {
  eventsApiKey: undefined,
  bodyLimitBytes: 64 * 1024,
  maxBatchSize: 100,
  maxInFlight: 2000,
  sessionEventsPerMinute: 600,
  sessionsPerAddressPerMinute: 30,
  sessionTtlS: 24 * 3600,
  produceTimeoutMs: 5000,
  defaultLimit: 10,
  maxLimit: 50,
  maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS,
} as const satisfies Omit<WebSettings, 'sessionSecret'>;

type NumericSetting = Exclude<keyof WebSettings, 'sessionSecret' | 'eventsApiKey'>;

const bounds: Record<NumericSetting, readonly [number, number]> = {
  bodyLimitBytes: [1024, 4 * 1024 * 1024],
  maxBatchSize: [1, 10_000],
  maxInFlight: [1, 1_000_000],
  sessionEventsPerMinute: [1, 1_000_000],
  sessionsPerAddressPerMinute: [1, 1_000_000],
  sessionTtlS: [60, 30 * 86_400],
  produceTimeoutMs: [10, 120_000],
  defaultLimit: [1, 1000],
  maxLimit: [1, 1000],
  maxFutureSkewMs: [0, 86_400_000],
};

export type WebOptions = Partial<WebSettings> & Pick<WebSettings, 'sessionSecret'>;

/** Fills defaults and rejects nonsense, naming every problem at once. */
export function resolveWebSettings(input: WebOptions): WebSettings {
  const settings: WebSettings = { ...defaultWebSettings, ...input };
  const problems: string[] = [];
  if (typeof settings.sessionSecret !== 'string' || settings.sessionSecret.length < 32) {
    problems.push('sessionSecret must be a string of at least 32 characters');
  }
  if (settings.eventsApiKey !== undefined && settings.eventsApiKey.length < 16) {
    problems.push('eventsApiKey, when set, must have at least 16 characters');
  }
  for (const [name, [min, max]] of Object.entries(bounds)) {
    const value = settings[name as NumericSetting];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
    }
  }
  if (settings.defaultLimit > settings.maxLimit) {
    problems.push(`defaultLimit (${settings.defaultLimit}) must not exceed maxLimit (${settings.maxLimit})`);
  }
  if (problems.length > 0) throw new WebSettingsError(problems);
  return Object.freeze(settings);
}

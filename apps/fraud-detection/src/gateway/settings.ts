import { DEFAULT_MAX_FUTURE_SKEW_MS } from '@streamkit/schemas';
import { GatewaySettingsError } from './errors.ts';

/** The gateway's limits and secrets, as buildApp receives them (main.ts maps its config onto this). */
export interface GatewaySettings {
  /** Value clients must send in `x-api-key`. */
  readonly apiKey: string;
  /** Largest request body accepted; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** POST requests handled at once; more get 503 + Retry-After instead of queueing. */
  readonly maxInFlight: number;
  /** Longest `?waitMs=` a GET may ask for. */
  readonly maxWaitMs: number;
  /** Long-polling GETs held at once (each holds memory and a socket). */
  readonly maxWaiters: number;
  /** How long a POST waits for the broker's ack before answering 503. */
  readonly produceTimeoutMs: number;
  /** How long an accepted paymentId is remembered for idempotency. */
  readonly idempotencyTtlS: number;
  /** A payment whose `ts` lies further in the future than this is refused (400). */
  readonly maxFutureSkewMs: number;
}

export const defaultGatewaySettings = {
  bodyLimitBytes: 16 * 1024,
  maxInFlight: 5000,
  maxWaitMs: 30_000,
  maxWaiters: 10_000,
  produceTimeoutMs: 5000,
  idempotencyTtlS: 24 * 3600,
  maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS,
} as const satisfies Omit<GatewaySettings, 'apiKey'>;

const bounds: Record<Exclude<keyof GatewaySettings, 'apiKey'>, readonly [number, number]> = {
  bodyLimitBytes: [1024, 1024 * 1024],
  maxInFlight: [1, 1_000_000],
  maxWaitMs: [0, 120_000],
  maxWaiters: [1, 1_000_000],
  produceTimeoutMs: [10, 120_000],
  idempotencyTtlS: [60, 90 * 24 * 3600],
  maxFutureSkewMs: [0, 86_400_000],
};

/** Fills defaults and rejects nonsense, naming every problem at once. */
export function resolveGatewaySettings(
  input: Partial<GatewaySettings> & Pick<GatewaySettings, 'apiKey'>,
): GatewaySettings {
  const settings: GatewaySettings = { ...defaultGatewaySettings, ...input };
  const problems: string[] = [];
  if (typeof settings.apiKey !== 'string' || settings.apiKey.length < 16) {
    problems.push('apiKey must be a string of at least 16 characters');
  }
  for (const [name, [min, max]] of Object.entries(bounds)) {
    const value = settings[name as keyof typeof bounds];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
    }
  }
  if (problems.length > 0) throw new GatewaySettingsError(problems);
  return Object.freeze(settings);
}

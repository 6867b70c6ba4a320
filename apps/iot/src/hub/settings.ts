import { HubSettingsError } from './errors.ts';

/** The hub HTTP service's limits and secrets, as buildHubApp receives them. */
export interface HubHttpSettings {
  /** Value the registry API wants in `x-api-key`. */
  readonly adminKey: string;
  /** Largest POST /ingest body; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** Most lines in one POST /ingest. */
  readonly maxLinesPerRequest: number;
  /** Requests handled at once; more get 503 + Retry-After. */
  readonly maxInFlight: number;
}

export const defaultHubHttpSettings = {
  bodyLimitBytes: 1024 * 1024,
  maxLinesPerRequest: 5000,
  maxInFlight: 256,
} as const satisfies Omit<HubHttpSettings, 'adminKey'>;

const bounds: Record<Exclude<keyof HubHttpSettings, 'adminKey'>, readonly [number, number]> = {
  bodyLimitBytes: [1024, 64 * 1024 * 1024],
  maxLinesPerRequest: [1, 1_000_000],
  maxInFlight: [1, 1_000_000],
};

/** Fills defaults and rejects nonsense, naming every problem at once. */
export function resolveHubHttpSettings(
  input: Partial<HubHttpSettings> & Pick<HubHttpSettings, 'adminKey'>,
): HubHttpSettings {
  const settings: HubHttpSettings = { ...defaultHubHttpSettings, ...input };
  const problems: string[] = [];
  if (typeof settings.adminKey !== 'string' || settings.adminKey.length < 16)
    problems.push('adminKey must be a string of at least 16 characters');
  for (const [name, [min, max]] of Object.entries(bounds)) {
    const value = settings[name as keyof typeof bounds];
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  if (problems.length > 0) throw new HubSettingsError('hub HTTP', problems);
  return Object.freeze(settings);
}

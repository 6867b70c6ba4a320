import { SettingsError } from '@streamkit/runtime';

export interface RecommenderSettings {
  /** Users ranked per round. */
  batchSize: number;
  /** Recommendations per user kept in the cache. */
  topN: number;
  /** TTL of recs(userId): a user inactive that long falls back to trending. */
  recsTtlSeconds: number;
  /** How often popularity and trending are reloaded from the online store. */
  signalsRefreshMs: number;
  /** How often the model table is polled for a new version. */
  modelPollIntervalMs: number;
  /** Longest wait for work when no change notification arrives. */
  idlePollMs: number;
  /**
   * A round that ranked fewer than batchSize users is followed by the next no sooner than this after
   * it began: a round's fixed costs (claim, release, six round trips) otherwise dominate, one round
   * per change notification, whatever the rate. 0: at once.
   */
  minRoundIntervalMs: number;
  /**
   * How long users claimed for a round stay claimed: past it, a round that never finished (its
   * recommender was killed) gives them back to be ranked by any replica.
   */
  claimLeaseMs: number;
}

export class RecommenderSettingsError extends SettingsError {
  constructor(problems: readonly string[]) {
    super('recommender', problems);
  }
}

export function validateRecommenderSettings(s: RecommenderSettings): RecommenderSettings {
  const problems: string[] = [];
  const check = (name: keyof RecommenderSettings, min: number, max: number) => {
    const v = s[name];
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  };
  check('batchSize', 1, 10_000);
  check('topN', 1, 100);
  check('recsTtlSeconds', 1, 30 * 86_400);
  check('signalsRefreshMs', 10, 3_600_000);
  check('modelPollIntervalMs', 10, 3_600_000);
  check('idlePollMs', 1, 60_000);
  check('minRoundIntervalMs', 0, 10_000);
  check('claimLeaseMs', 100, 3_600_000);
  if (problems.length > 0) throw new RecommenderSettingsError(problems);
  return s;
}

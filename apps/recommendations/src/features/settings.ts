import { SettingsError } from '@streamkit/runtime';
import type { OnlineStoreSettings } from './online-store.ts';

export interface FeaturesSettings extends OnlineStoreSettings {
  groupId: string;
  maxBatchSize: number;
  sessionTimeoutMs: number;
  fetchMaxWaitMs: number;
  /** Offsets committed at most this often (0: after each run); replays are skipped by the markers. */
  commitIntervalMs: number;
  /** A run shorter than maxBatchSize ends no sooner than this after it began (0: at once). */
  minRunIntervalMs: number;
  partitionsConsumedConcurrently: number;
  /** How often popularity(window) is recomputed from its buckets (wall clock). */
  popularityRefreshMs: number;
  /** How often changed users' features are copied to the offline store. */
  snapshotIntervalMs: number;
  /** An event dated further ahead of the clock is dead-lettered: it would move the watermark. */
  maxFutureSkewMs: number;
}

export class FeaturesSettingsError extends SettingsError {
  constructor(problems: readonly string[]) {
    super('features', problems);
  }
}

/** Rejects nonsense settings with one error naming every problem. */
export function validateFeaturesSettings(s: FeaturesSettings): FeaturesSettings {
  const problems: string[] = [];
  const positive = (name: keyof FeaturesSettings, min = 1) => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      problems.push(`${name} must be an integer >= ${min}, got ${v}`);
  };
  if (!/^[A-Za-z0-9._-]+$/.test(s.groupId))
    problems.push(`groupId must be a Kafka group name, got "${s.groupId}"`);
  positive('maxBatchSize');
  positive('sessionTimeoutMs', 6000);
  positive('fetchMaxWaitMs', 0);
  positive('commitIntervalMs', 0);
  positive('minRunIntervalMs', 0);
  positive('partitionsConsumedConcurrently');
  positive('popularityRefreshMs', 10);
  positive('snapshotIntervalMs', 100);
  positive('allowedLatenessMs', 0);
  positive('maxFutureSkewMs', 0);
  positive('sessionTtlSeconds');
  positive('bucketTtlSeconds');
  positive('userTtlSeconds');
  if (problems.length > 0) throw new FeaturesSettingsError(problems);
  return s;
}

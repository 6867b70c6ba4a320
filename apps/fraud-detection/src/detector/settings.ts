import { DetectorSettingsError } from './errors.ts';

/** What the detector's processing needs to know; main.ts fills it from the environment. */
export interface DetectorSettings {
  /** Consumer group of the payments topic; replicas share it. */
  readonly groupId: string;
  /** Unique per running instance and stable across its restarts (fences its predecessor). */
  readonly transactionalId: string;
  readonly maxBatchSize: number;
  /** A silent member is dropped from the group after this long (its partitions move on). */
  readonly sessionTimeoutMs: number;
  readonly thresholds: { readonly review: number; readonly decline: number };
  /** Payments older than the card's watermark minus this are decided but not added to its windows. */
  readonly allowedLatenessMs: number;
  /** A payment dated further ahead of the clock is dead-lettered: it would blind its card's windows. */
  readonly maxFutureSkewMs: number;
  /** A card's state outlives its longest window (1 h) by a margin, then Redis drops it. */
  readonly cardStateTtlSeconds: number;
  /** How long a decision stays readable (gateway GET) and protects against a replayed payment. */
  readonly decisionTtlSeconds: number;
  /** Fallback reload periods; LISTEN/NOTIFY normally reloads at once. */
  readonly rulesReloadIntervalMs: number;
  readonly modelPollIntervalMs: number;
  /** Card states kept in process for the partitions worked on (0: read Redis for every batch). */
  readonly stateCacheCards: number;
  /** Longest a transaction waits for the partitions still being processed to join it. */
  readonly commitLingerMs: number;
  /**
   * A fetch answers once this many bytes of payments are there, or at fetchMaxWaitMs: larger runs
   * mean fewer transactions (five broker requests each) for at most fetchMaxWaitMs more latency.
   */
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
}

const ONE_HOUR_SECONDS = 3600;

/** Rejects nonsense with one error naming every problem. */
export function validateDetectorSettings(settings: DetectorSettings): DetectorSettings {
  const problems: string[] = [];
  const { thresholds: t } = settings;
  const positiveInt = (name: string, value: number, min = 1) => {
    if (!Number.isSafeInteger(value) || value < min)
      problems.push(`${name} must be an integer >= ${min}, got ${value}`);
  };
  if (settings.groupId.trim() === '') problems.push('groupId must not be empty');
  if (settings.transactionalId.trim() === '') problems.push('transactionalId must not be empty');
  positiveInt('maxBatchSize', settings.maxBatchSize);
  // the broker's default group.min.session.timeout.ms
  positiveInt('sessionTimeoutMs', settings.sessionTimeoutMs, 6000);
  for (const [name, value] of Object.entries(t)) {
    if (!(value > 0 && value <= 1)) problems.push(`thresholds.${name} must be within (0, 1], got ${value}`);
  }
  if (t.review > t.decline) {
    problems.push(`thresholds.review (${t.review}) must not exceed thresholds.decline (${t.decline})`);
  }
  positiveInt('allowedLatenessMs', settings.allowedLatenessMs, 0);
  positiveInt('maxFutureSkewMs', settings.maxFutureSkewMs, 0);
  // a state that expires before its 1 h window closes would silently forget velocity
  positiveInt('cardStateTtlSeconds', settings.cardStateTtlSeconds, ONE_HOUR_SECONDS);
  positiveInt('decisionTtlSeconds', settings.decisionTtlSeconds);
  positiveInt('rulesReloadIntervalMs', settings.rulesReloadIntervalMs, 100);
  positiveInt('modelPollIntervalMs', settings.modelPollIntervalMs, 100);
  positiveInt('stateCacheCards', settings.stateCacheCards, 0);
  positiveInt('commitLingerMs', settings.commitLingerMs, 0);
  positiveInt('fetchMinBytes', settings.fetchMinBytes, 1);
  positiveInt('fetchMaxWaitMs', settings.fetchMaxWaitMs, 10);
  if (problems.length > 0) throw new DetectorSettingsError(problems);
  return settings;
}

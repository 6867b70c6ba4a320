import { StreamkitError } from '@streamkit/runtime';

/**
 * The detector's errors. Each says whether retrying can help (`retriable`) and keeps the
 * underlying failure as `cause`, so the Kafka runner and logs see what really went wrong.
 */
export class DetectorError extends StreamkitError {
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/** Settings that make no sense (thresholds out of order, a zero TTL…); fix the configuration. */
export class DetectorSettingsError extends DetectorError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid detector settings:\n  ${problems.join('\n  ')}`, { retriable: false });
    this.problems = problems;
  }
}

/** Redis could not be read or written; the batch is retried (its Kafka transaction is aborted). */
export class StateStoreError extends DetectorError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/**
 * Another detector claimed the partition since this one did (a rebalance moved it, and this one is
 * a zombie or lost it and got it back): nothing was written. Retriable: the next attempt claims the
 * partition again and reloads its states from Redis; a member that really lost it stops retrying
 * when its consumer learns of the rebalance.
 */
export class PartitionFencedError extends DetectorError {
  constructor(partition: number, epoch: number, cause?: unknown) {
    super(`partition ${partition}: epoch ${epoch} was fenced by a newer claim`, { retriable: true, cause });
  }
}

/** A stored value (card state, decision) is not what the detector wrote; retrying will not help. */
export class CorruptStateError extends DetectorError {
  readonly key: string;

  constructor(key: string, cause?: unknown) {
    super(`corrupt value at Redis key ${key}`, { retriable: false, cause });
    this.key = key;
  }
}

/** Rules or models could not be loaded from Postgres; the previous set stays in use. */
export class RepositoryError extends DetectorError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/** A stored model that cannot score the detector's features (missing feature, length mismatch…). */
export class InvalidModelError extends DetectorError {
  readonly version: string;

  constructor(version: string, problem: string) {
    super(`model ${version} is unusable: ${problem}`, { retriable: false });
    this.version = version;
  }
}

/**
 * The base of every error a streamkit package lets cross its boundary. `retriable` tells the caller
 * whether the same call may succeed later (a dependency that is down, a broker that is busy) or
 * never will (a setting that makes no sense, a record that breaks a rule); `cause` keeps what a
 * library threw underneath.
 */
export class StreamkitError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

const poisonBrand = Symbol.for('streamkit.poison');

/**
 * A record that can never be processed (it breaks a domain rule): a consumer dead-letters it at
 * once instead of retrying it, and processes the others. Throw it from a handler, or wrap what a
 * rule threw with `markPoison(error)`.
 */
export class PoisonError extends StreamkitError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, cause: options.cause });
  }

  /** True for a PoisonError, also one from another copy of this package. */
  static is(error: unknown): boolean {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { [poisonBrand]?: unknown })[poisonBrand] === true
    );
  }
}
Object.defineProperty(PoisonError.prototype, poisonBrand, { value: true });

/** Marks `error` as the record's own fault, keeping it as `cause`: `throw markPoison(error)`. */
export function markPoison(error: unknown): PoisonError {
  if (error instanceof PoisonError) return error;
  return new PoisonError(describeError(error), { cause: error });
}

/** Settings rejected at construction; the message lists every problem. Fix the caller. */
export class SettingsError extends StreamkitError {
  readonly problems: readonly string[];

  constructor(what: string, problems: readonly string[] | string, options: { cause?: unknown } = {}) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(`invalid ${what} settings: ${list.join('; ')}`, { retriable: false, cause: options.cause });
    this.problems = list;
  }
}

/** A health check answered, but not with what a healthy dependency answers. */
export class HealthCheckFailedError extends StreamkitError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/** A health check did not settle within its time budget. */
export class HealthCheckTimeoutError extends StreamkitError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`, { retriable: true });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A one-line reason for any thrown value. Connection errors from dual-stack lookups arrive as an
 * AggregateError with an empty message; their inner errors say what happened.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    return [...new Set(error.errors.map(describeError))].join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Errors this package lets cross its boundary. `retriable` tells a caller whether trying again
 * later can succeed (a dependency that is down) or not (a setting that makes no sense).
 */
export class TelemetryError extends Error {
  override readonly name: string = 'TelemetryError';
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable;
  }
}

/** A setting passed to a factory of this package is invalid. Fix the caller; retrying cannot help. */
export class TelemetrySettingsError extends TelemetryError {
  override readonly name = 'TelemetrySettingsError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, cause: options.cause });
  }
}

/** A health check answered, but not with what a healthy dependency answers. */
export class HealthCheckFailedError extends TelemetryError {
  override readonly name = 'HealthCheckFailedError';

  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/** A health check did not settle within its time budget. */
export class HealthCheckTimeoutError extends TelemetryError {
  override readonly name = 'HealthCheckTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`, { retriable: true });
    this.timeoutMs = timeoutMs;
  }
}

import { StreamkitError } from '@streamkit/runtime';

/** Errors of the alert service that cross a boundary (Postgres, webhook receivers). */
export class AlertsError extends StreamkitError {
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/** Settings that make no sense; raised at construction, never retriable. */
export class AlertsSettingsError extends AlertsError {
  readonly problems: readonly string[];

  constructor(component: string, problems: readonly string[]) {
    super(`${component}: invalid settings:\n  - ${problems.join('\n  - ')}`, { retriable: false });
    this.problems = problems;
  }
}

/** A pagination cursor that this service did not issue (or that was tampered with). */
export class InvalidCursorError extends AlertsError {
  constructor(cause?: unknown) {
    super('cursor is not one this service issued', { retriable: false, cause });
  }
}

/** A webhook receiver did not answer 2xx in time; retried with backoff until attempts run out. */
export class WebhookDeliveryError extends AlertsError {
  readonly statusCode: number | undefined;

  constructor(message: string, options: { statusCode?: number; cause?: unknown }) {
    super(message, { retriable: true, cause: options.cause });
    this.statusCode = options.statusCode;
  }
}

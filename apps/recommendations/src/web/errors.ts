import { SettingsError, StreamkitError } from '@streamkit/runtime';

/**
 * Errors of the web service. `retriable` tells a caller whether the same request may succeed later
 * (broker slow, buffer full) or never will (bad settings, corrupt record); `cause` keeps the
 * underlying error.
 */
export class WebError extends StreamkitError {}

/** Options rejected when the web app is built; the message lists every problem. */
export class WebSettingsError extends SettingsError {
  constructor(problems: readonly string[]) {
    super('web', problems);
  }
}

/** The broker did not acknowledge a batch of events in time. */
export class ProduceTimeoutError extends WebError {
  readonly retryAfterMs: number;
  constructor(count: number, timeoutMs: number) {
    super(`${count} event(s) were not acknowledged by Kafka within ${timeoutMs} ms`, { retriable: true });
    this.retryAfterMs = timeoutMs;
  }
}

/** A cached recommendation list in Redis that is not valid JSON of the expected shape. */
export class CachedRecordError extends WebError {
  constructor(key: string, detail: string, cause?: unknown) {
    super(`cached recommendations ${key} are unreadable: ${detail}`, { cause });
  }
}

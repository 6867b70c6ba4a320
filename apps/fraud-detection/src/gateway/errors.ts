import { SettingsError, StreamkitError } from '@streamkit/runtime';

/**
 * Errors of the payment gateway. `retriable` tells a caller whether the same request may succeed
 * later (broker slow, buffer full) or never will (bad settings, corrupt record); `cause` keeps the
 * underlying error.
 */
export class GatewayError extends StreamkitError {}

/** Options rejected when the gateway is built; the message lists every problem. */
export class GatewaySettingsError extends SettingsError {
  constructor(problems: readonly string[]) {
    super('gateway', problems);
  }
}

/** The broker did not acknowledge a payment in time; the outcome is settled later, in the background. */
export class ProduceTimeoutError extends GatewayError {
  readonly retryAfterMs: number;
  constructor(paymentId: string, timeoutMs: number) {
    super(`payment ${paymentId} was not acknowledged by Kafka within ${timeoutMs} ms`, { retriable: true });
    this.retryAfterMs = timeoutMs;
  }
}

/** More long-polling requests than the gateway holds at once. */
export class WaiterLimitError extends GatewayError {
  constructor(limit: number) {
    super(`too many requests waiting for decisions (limit ${limit})`, { retriable: true });
  }
}

/** A decision record in Redis that is not a valid PaymentDecision (written by something else). */
export class DecisionRecordError extends GatewayError {
  constructor(key: string, detail: string, cause?: unknown) {
    super(`decision record ${key} is not a valid PaymentDecision: ${detail}`, { cause });
  }
}

import { describeError, StreamkitError } from '@streamkit/runtime';

/** Socket errors of a dependency that is down or unreachable (Node's `code`). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** PostgreSQL SQLSTATEs of a server that is shutting down, starting or full (class 08 is matched apart). */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/** What ioredis and pg throw, without a code, when their connection is gone. */
const CONNECTION_LOST_MESSAGES = [
  'Connection is closed.', // ioredis
  "Stream isn't writeable", // ioredis without an offline queue
  'Connection terminated', // pg (also "… unexpectedly", "… due to connection timeout")
  'timeout exceeded when trying to connect', // pg-pool
];

export interface Outage {
  /** One line naming what is down. */
  readonly message: string;
  /** When the client should try again. */
  readonly retryAfterS: number;
}

/**
 * The outage behind an error, if it is one: a StreamkitError marked retriable (Kafka unreachable or
 * its buffer full, a produce not acknowledged in time), or a Redis/PostgreSQL client error saying
 * the connection is gone. Such a request may succeed later, so it is answered 503 + Retry-After,
 * not 500. A StreamkitError may carry `retryAfterMs` (e.g. KafkaBackpressureError).
 */
export function outageOf(error: unknown): Outage | undefined {
  if (error instanceof StreamkitError) {
    if (!error.retriable) return undefined;
    const { retryAfterMs } = error as { retryAfterMs?: unknown };
    const retryAfterS = typeof retryAfterMs === 'number' ? Math.ceil(retryAfterMs / 1000) : 1;
    return { message: describeError(error), retryAfterS: Math.max(1, retryAfterS) };
  }
  return isConnectionLoss(error, 0) ? { message: describeError(error), retryAfterS: 1 } : undefined;
}

function isConnectionLoss(error: unknown, depth: number): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, name, message, cause } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))
      return true;
  }
  if (name === 'MaxRetriesPerRequestError') return true; // ioredis gave up on a command
  if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.some((m) => message.startsWith(m))) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isConnectionLoss(e, depth + 1)))
    return true;
  return isConnectionLoss(cause, depth + 1);
}

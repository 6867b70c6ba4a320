import { StreamkitError } from '@streamkit/runtime';

/**
 * Errors of @streamkit/kafka, on the common StreamkitError base. `retriable` tells the caller
 * whether the same call may succeed later (broker busy, connection lost, buffer full) or never
 * will (bad settings, closed producer); `cause` keeps the client library's original error. An
 * HTTP ingress answers a retriable one 503 + Retry-After (@streamkit/http).
 */
export class StreamkitKafkaError extends StreamkitError {}

/** Settings rejected at construction; the message lists every problem. */
export class KafkaSettingsError extends StreamkitKafkaError {
  readonly problems: readonly string[];
  constructor(what: string, problems: readonly string[]) {
    super(`invalid ${what} settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** The producer's bound on buffered + in-flight messages is reached: shed load and retry after `retryAfterMs`. */
export class KafkaBackpressureError extends StreamkitKafkaError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message, { retriable: true });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The broker could not be reached or the connection broke. */
export class KafkaConnectionError extends StreamkitKafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/** The broker rejected or did not answer a request (after the client library's own retries). */
export class KafkaRequestError extends StreamkitKafkaError {}

/** Used after disconnect()/stop(): the handle cannot be used again. */
export class KafkaClosedError extends StreamkitKafkaError {}

/** A batch handler (or transactional `process`) failed on a batch; `cause` is what it threw. */
export class HandlerError extends StreamkitKafkaError {
  readonly topic: string;
  readonly partition: number;
  /** The offsets of the batch the handler was given. */
  readonly offsets: readonly string[];
  constructor(topic: string, partition: number, offsets: readonly string[], cause: unknown) {
    const range = offsets.length === 1 ? `offset ${offsets[0]}` : `offsets ${offsets[0]}..${offsets.at(-1)}`;
    super(`handler failed on ${topic}[${partition}] ${range}: ${messageOf(cause)}`, {
      retriable: true,
      cause,
    });
    this.topic = topic;
    this.partition = partition;
    this.offsets = offsets;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ClientLibraryError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly retriable?: boolean;
}

/** Maps a client-library error to ours, keeping it as `cause`. */
export function fromClientError(action: string, error: unknown): StreamkitKafkaError {
  if (error instanceof StreamkitKafkaError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ClientLibraryError;
  const detail = e.message ?? String(error);
  if (
    // GroupCoordinatorNotFound: no broker answered FindCoordinator (all down or restarting)
    /Connection|BrokerNotFound|NoBrokerAvailable|GroupCoordinatorNotFound/.test(e.name ?? '') ||
    e.code === 'PLT_KFK_NETWORK' ||
    /ECONNREFUSED|ETIMEDOUT/.test(detail)
  ) {
    return new KafkaConnectionError(`${action}: ${detail}`, error);
  }
  return new KafkaRequestError(`${action}: ${detail}`, { retriable: e.retriable === true, cause: error });
}

/**
 * The first broker error code of `types` found in `error` or its cause chain. kafkajs:
 * KafkaJSProtocolError { type }; @platformatic/kafka: ProtocolError { apiId }.
 */
export function protocolErrorIn(
  error: unknown,
  types: { has(type: string): boolean },
  depth = 0,
): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  const e = error as {
    type?: unknown;
    apiId?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  for (const id of [e.type, e.apiId]) {
    if (typeof id === 'string' && types.has(id)) return id;
  }
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const inner of nested) {
    const found = protocolErrorIn(inner, types, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

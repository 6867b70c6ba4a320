import { StreamkitError } from '@streamkit/runtime';

/** A query the SQL endpoint refuses to run (not a single SELECT over the lake's views). */
export class QueryRejectedError extends StreamkitError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/** A query that ran past the time limit and was interrupted. */
export class QueryTimeoutError extends StreamkitError {
  constructor(message: string) {
    super(message, { retriable: true });
  }
}

/** Too many queries in flight: from this client (`client`, 429) or from everyone (`total`, 503). */
export class QueryBusyError extends StreamkitError {
  readonly scope: 'client' | 'total';
  constructor(scope: 'client' | 'total', message: string) {
    super(message, { retriable: true });
    this.scope = scope;
  }
}

/** A user query's result passed the byte cap: reading stopped there, nothing is answered. */
export class ResultTooLargeError extends StreamkitError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/** DuckDB failed to run a query (bad column, type error…): the caller's query, not the service. */
export class QueryFailedError extends StreamkitError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, cause: options.cause });
  }
}

/** The live feed was given a position that is not a PostgreSQL snapshot: a bug, not bad input. */
export class LivePositionError extends StreamkitError {
  constructor(position: string) {
    super(`live feed position ${JSON.stringify(position)} is not a PostgreSQL snapshot (xmin:xmax:xip,…)`, {
      retriable: false,
    });
  }
}

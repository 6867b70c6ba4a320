/** A query the SQL endpoint refuses to run (not a single SELECT over the lake's views). */
export class QueryRejectedError extends Error {
  override readonly name: string = 'QueryRejectedError';
  readonly retriable = false;
}

/** A query that ran past the time limit and was interrupted. */
export class QueryTimeoutError extends Error {
  override readonly name: string = 'QueryTimeoutError';
  readonly retriable = true;
}

/** DuckDB failed to run a query (bad column, type error…): the caller's query, not the service. */
export class QueryFailedError extends Error {
  override readonly name: string = 'QueryFailedError';
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

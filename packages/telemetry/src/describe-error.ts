/**
 * A one-line reason. Connection errors from dual-stack lookups arrive as an AggregateError with
 * an empty message; their inner errors say what happened.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    return [...new Set(error.errors.map(describeError))].join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

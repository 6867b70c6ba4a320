/** Errors of the bench runner; `retriable` says whether running again may help. */
export class BenchError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchError';
    this.retriable = options.retriable;
  }
}

/** A bad flag or argument: the CLI exits 2 with this message. */
export class BenchUsageError extends BenchError {
  constructor(message: string) {
    super(message, { retriable: false });
    this.name = 'BenchUsageError';
  }
}

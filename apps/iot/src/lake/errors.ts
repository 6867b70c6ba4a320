/** A lake write or read failed; retriable when the cause is I/O that may succeed again. */
export class LakeError extends Error {
  override readonly name: string = 'LakeError';
  readonly retriable: boolean;
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable ?? true;
  }
}

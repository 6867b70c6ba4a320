import { StreamkitError } from '@streamkit/runtime';

/** A lake write or read failed; retriable (the default) when the cause is I/O that may succeed again. */
export class LakeError extends StreamkitError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause, retriable: options.retriable ?? true });
  }
}

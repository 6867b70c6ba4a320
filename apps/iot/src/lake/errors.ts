import { classifyFailure } from '@streamkit/kafka';
import { StreamkitError } from '@streamkit/runtime';

/**
 * A lake write or read failed. Retriable when its cause is the disk or the directory (no space,
 * permissions, I/O: the same write succeeds once an operator fixed it), so the processor waits
 * instead of dead-lettering readings; anything else (a value DuckDB cannot encode) is not.
 */
export class LakeError extends StreamkitError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, {
      cause: options.cause,
      retriable: options.retriable ?? classifyFailure(options.cause).kind === 'transient',
    });
  }
}

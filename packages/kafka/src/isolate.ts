import { HandlerError } from './errors.ts';
import { type RetryOptions, retryWithBackoff } from './retry.ts';
import type { RetryPolicy } from './types.ts';

/** What a runner does with a run of consecutive records of one partition. */
export interface IsolationSteps<E> {
  /** Processes the entries and makes that durable (offset commit or Kafka transaction); throws on failure. */
  attempt(entries: readonly E[]): Promise<void>;
  /** Dead-letters one entry the handler keeps failing on, and makes that durable. */
  quarantine(entry: E, error: HandlerError): Promise<void>;
}

/**
 * Processes `entries` so that one poison record neither blocks nor drops the others: the whole run
 * is retried with backoff; if it still fails, it is bisected (each half tried once, failing halves
 * split again) down to single records, which get the full retry policy before being quarantined.
 * Runs are processed in offset order, so every success can be committed as it happens.
 * Only HandlerError is retried: any other failure (commit, DLQ write, transaction) propagates.
 * Returns early, leaving the rest uncommitted, when `options.signal` aborts.
 */
export async function processIsolating<E>(
  entries: readonly E[],
  steps: IsolationSteps<E>,
  policy: RetryPolicy,
  options: RetryOptions,
): Promise<void> {
  const retrying: RetryOptions = { ...options, retryable: (e) => e instanceof HandlerError };
  try {
    await retryWithBackoff(() => steps.attempt(entries), policy, retrying);
    return;
  } catch (error) {
    if (!(error instanceof HandlerError)) throw error;
    const [only] = entries;
    if (entries.length === 1 && only !== undefined) return steps.quarantine(only, error);
  }
  await bisect(entries, steps, policy, retrying);
}

async function bisect<E>(
  entries: readonly E[],
  steps: IsolationSteps<E>,
  policy: RetryPolicy,
  retrying: RetryOptions,
): Promise<void> {
  const mid = Math.ceil(entries.length / 2);
  for (const half of [entries.slice(0, mid), entries.slice(mid)]) {
    if (retrying.signal?.aborted) return;
    try {
      if (half.length === 1) await retryWithBackoff(() => steps.attempt(half), policy, retrying);
      else await steps.attempt(half);
    } catch (error) {
      if (!(error instanceof HandlerError)) throw error;
      const [only] = half;
      if (half.length === 1 && only !== undefined) await steps.quarantine(only, error);
      else await bisect(half, steps, policy, retrying);
    }
  }
}

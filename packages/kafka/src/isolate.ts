import { HandlerError } from './errors.ts';
import { classifyFailure, type FailureClass } from './failure-class.ts';
import type { TransientFailure } from './outage.ts';
import { backoffDelayMs, RetryAborted, type RetryOptions, retryWithBackoff } from './retry.ts';
import type { RetryPolicy, TransientRetryPolicy } from './types.ts';

/** What a runner does with a run of consecutive records of one partition. */
export interface IsolationSteps<E> {
  /** Processes the entries and makes that durable (offset commit or Kafka transaction); throws on failure. */
  attempt(entries: readonly E[]): Promise<void>;
  /** Dead-letters one entry the handler keeps failing on (poison, never transient), and makes that durable. */
  quarantine(entry: E, error: HandlerError, failure: FailureClass): Promise<void>;
}

/** How a run waits while a dependency is down. */
export interface OutageWaiting {
  readonly policy: TransientRetryPolicy;
  /** Waits `ms` before the next attempt; resolves false when the run must be given up (stopping, partition lost). */
  wait(ms: number): Promise<boolean>;
  /** Told about each transient failure before the wait. */
  failed(failure: TransientFailure, attempt: number, delayMs: number): void;
  /** The run stopped waiting (it went through, failed otherwise, or was given up). */
  cleared(): void;
  readonly random?: () => number;
}

/**
 * Processes `entries` so that an outage drops nothing and one poison record neither blocks nor
 * drops the others:
 * - a handler failure classified transient (a dependency is down, see failure-class.ts) pauses the
 *   run and retries it with capped exponential backoff for as long as it takes;
 * - any other handler failure is retried with `policy` (none for a record marked poison or invalid
 *   data), then the run is bisected (each half tried once, failing halves split again) down to single
 *   records, which get the same retries before being quarantined.
 * Runs are processed in offset order, so every success can be committed as it happens.
 * Only HandlerError is retried: any other failure (commit, DLQ write, transaction) propagates.
 * Throws RetryAborted, leaving the rest uncommitted, when stopping or the run is given up.
 */
export async function processIsolating<E>(
  entries: readonly E[],
  steps: IsolationSteps<E>,
  policy: RetryPolicy,
  options: RetryOptions & { readonly outage: OutageWaiting },
): Promise<void> {
  const isolation: Isolation<E> = {
    attempt: (part) => throughOutages(() => steps.attempt(part), options.outage),
    quarantine: (entry, error) => steps.quarantine(entry, error, classifyFailure(error)),
    policy,
    retrying: { ...options, retryable: worthRetrying },
  };
  try {
    await retryWithBackoff(() => isolation.attempt(entries), policy, isolation.retrying);
    return;
  } catch (error) {
    if (!(error instanceof HandlerError)) throw error;
    const [only] = entries;
    if (entries.length === 1 && only !== undefined) return isolation.quarantine(only, error);
  }
  await bisect(entries, isolation);
}

interface Isolation<E> {
  attempt(entries: readonly E[]): Promise<void>;
  quarantine(entry: E, error: HandlerError): Promise<void>;
  readonly policy: RetryPolicy;
  readonly retrying: RetryOptions;
}

/** A poison failure of unknown cause may be a fluke: retry it; a marked or invalid record fails the same every time. */
function worthRetrying(error: unknown): boolean {
  return error instanceof HandlerError && classifyFailure(error).reason === 'unclassified';
}

/** Runs `attempt` until it succeeds or fails with something other than an outage. */
async function throughOutages(attempt: () => Promise<void>, outage: OutageWaiting): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      if (n > 1) outage.cleared();
      return;
    } catch (error) {
      const failure = error instanceof HandlerError ? classifyFailure(error) : undefined;
      if (failure?.kind !== 'transient') {
        if (n > 1) outage.cleared();
        throw error;
      }
      const delayMs = backoffDelayMs(n, outage.policy, outage.random);
      outage.failed(failure, n, delayMs);
      if (!(await outage.wait(delayMs))) {
        outage.cleared();
        throw new RetryAborted();
      }
    }
  }
}

async function bisect<E>(entries: readonly E[], isolation: Isolation<E>): Promise<void> {
  const mid = Math.ceil(entries.length / 2);
  for (const half of [entries.slice(0, mid), entries.slice(mid)]) {
    if (isolation.retrying.signal?.aborted) throw new RetryAborted();
    try {
      if (half.length === 1)
        await retryWithBackoff(() => isolation.attempt(half), isolation.policy, isolation.retrying);
      else await isolation.attempt(half);
    } catch (error) {
      if (!(error instanceof HandlerError)) throw error;
      const [only] = half;
      if (half.length === 1 && only !== undefined) await isolation.quarantine(only, error);
      else await bisect(half, isolation);
    }
  }
}

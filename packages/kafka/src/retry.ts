import { backoffDelayMs } from '@streamkit/runtime';
import { KafkaSettingsError } from './errors.ts';
import type { RetryPolicy, TransientRetryPolicy } from './types.ts';

export { backoffDelayMs };

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxRetries: 5,
  initialBackoffMs: 200,
  maxBackoffMs: 10_000,
});

/** While a dependency is down: 200 ms, doubling, at most 5 s apart (recovery is noticed within 5 s). */
export const defaultTransientRetryPolicy: TransientRetryPolicy = Object.freeze({
  initialBackoffMs: 200,
  maxBackoffMs: 5000,
});

/** Checks a policy's numbers; throws KafkaSettingsError listing every problem. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const problems: string[] = [];
  const { maxRetries } = policy;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 1000) {
    problems.push(`maxRetries must be an integer in 0..1000, got ${maxRetries}`);
  }
  problems.push(...backoffProblems(policy, ''));
  if (problems.length > 0) throw new KafkaSettingsError('retry', problems);
  return Object.freeze({
    maxRetries,
    initialBackoffMs: policy.initialBackoffMs,
    maxBackoffMs: policy.maxBackoffMs,
  });
}

/** Checks the pauses used while a dependency is down; throws KafkaSettingsError naming the fields. */
export function validateTransientRetryPolicy(policy: TransientRetryPolicy): TransientRetryPolicy {
  const problems = backoffProblems(policy, 'transientRetry.');
  if (problems.length > 0) throw new KafkaSettingsError('transientRetry', problems);
  return Object.freeze({ initialBackoffMs: policy.initialBackoffMs, maxBackoffMs: policy.maxBackoffMs });
}

function backoffProblems(policy: TransientRetryPolicy | undefined, prefix: string): string[] {
  const problems: string[] = [];
  const { initialBackoffMs, maxBackoffMs } = policy ?? {};
  if (typeof initialBackoffMs !== 'number' || !Number.isFinite(initialBackoffMs) || initialBackoffMs < 1) {
    problems.push(`${prefix}initialBackoffMs must be a number >= 1, got ${initialBackoffMs}`);
  }
  if (
    typeof maxBackoffMs !== 'number' ||
    !Number.isFinite(maxBackoffMs) ||
    maxBackoffMs < (initialBackoffMs ?? 1) ||
    maxBackoffMs > 3_600_000
  ) {
    problems.push(
      `${prefix}maxBackoffMs must be >= initialBackoffMs (${initialBackoffMs}) and <= 3600000, got ${maxBackoffMs}`,
    );
  }
  return problems;
}

/** Raised inside a retry loop when its signal aborts (the runner is stopping). */
export class RetryAborted extends Error {
  constructor() {
    super('retry abandoned: stopping');
    this.name = 'RetryAborted';
  }
}

export interface RetryOptions {
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  /** Called after each failed attempt that will be retried. */
  readonly onRetry?: (error: unknown, retry: number, delayMs: number) => void;
  /** Which failures are worth retrying (default: all); others are rethrown at once. */
  readonly retryable?: (error: unknown) => boolean;
  /** Waits `ms` (default: a timer); a runner passes one that also heartbeats. Resolves early on abort. */
  readonly wait?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** Runs `attempt` until it succeeds or `policy.maxRetries` retries failed; rethrows the last error. */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const wait = options.wait ?? abortableDelay;
  for (let n = 0; ; n++) {
    if (options.signal?.aborted) throw new RetryAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.maxRetries || options.retryable?.(error) === false) throw error;
      const delayMs = backoffDelayMs(n + 1, policy, options.random);
      options.onRetry?.(error, n + 1, delayMs);
      await wait(delayMs, options.signal);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

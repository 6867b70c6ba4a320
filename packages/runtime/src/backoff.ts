/** Pauses between attempts while something is down: the first, doubling up to the cap. */
export interface BackoffPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * The pause before retry number `retry` (1-based): exponential, capped at maxBackoffMs, with "equal
 * jitter" (a random point in the upper half) so replicas failing together do not retry in lockstep.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(retry) || retry < 1)
    throw new RangeError(`retry must be an integer >= 1, got ${retry}`);
  const exponential = policy.initialBackoffMs * 2 ** Math.min(retry - 1, 52);
  const capped = Math.min(policy.maxBackoffMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}

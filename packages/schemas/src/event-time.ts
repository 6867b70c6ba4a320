import type { FieldError } from './validator.ts';

/** How far into the future an event's own time may lie by default: producers' clocks drift a little. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** How far ahead of the clock (`nowMs`, default Date.now()) an event time may lie. */
export interface EventTimeBound {
  readonly maxFutureSkewMs: number;
  readonly nowMs?: number;
}

/**
 * The problem with an event time later than `nowMs + maxFutureSkewMs` (a broken or hostile clock),
 * or undefined when it is not. Such a time is refused, not clamped: accepted, it would move
 * watermarks and retention cutoffs for every later event. `ts` is an ISO date-time or epoch ms.
 */
export function futureEventTime(
  field: string,
  ts: string | number,
  nowMs: number,
  maxFutureSkewMs: number,
): FieldError | undefined {
  const at = typeof ts === 'number' ? ts : Date.parse(ts);
  if (!(at > nowMs + maxFutureSkewMs)) return undefined;
  return {
    field,
    message: `must not lie more than ${maxFutureSkewMs} ms in the future (it is ${at - nowMs} ms ahead of the receiver's clock)`,
  };
}

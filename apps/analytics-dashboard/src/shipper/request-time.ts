/**
 * The resolution of `AccessLog.durationMs`: whole milliseconds, what nginx's `$request_time`
 * records (seconds with 3 decimals). Quantized here, once, in the shipper's normalization, so the
 * records on `logs.http`, every engine's views and the test references all see the same value, and
 * the latency histogram (`dash_latency_1m`) holds at most one row per route and millisecond per
 * minute instead of about one per line.
 *
 * Rule: the request time is read to the microsecond (no input format carries more; this also
 * cancels binary artifacts such as 0.0425 s × 1000 = 42.49999…), then rounded to the nearest
 * millisecond, halves up: 42.499 → 42, 42.5 → 43, 0.4 → 0.
 */
export function wholeMilliseconds(durationMs: number): number {
  return Math.round(Math.round(durationMs * 1000) / 1000);
}

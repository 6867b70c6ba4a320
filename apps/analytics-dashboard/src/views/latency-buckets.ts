/**
 * The latency view's buckets: a request time (whole ms) becomes the upper bound of its bucket, two
 * significant digits — exact up to 100 ms, then steps of 10 ms to 1 s, 100 ms to 10 s, 1 s beyond
 * (at most 10 % above the request time). Percentiles are taken over these bounds on every engine
 * and in the tests' reference, so PostgreSQL's histogram (`dash_latency_1m`) holds at most ~290
 * rows per (minute, route) — 100 + 90 + 90 + … — however many lines and distinct request times.
 * 42 → 42, 100 → 100, 101 → 110, 1 234 → 1 300, 12 345 → 13 000.
 */
export function latencyBucketMs(durationMs: number): number {
  if (durationMs <= 100) return durationMs;
  if (durationMs <= 1_000) return Math.ceil(durationMs / 10) * 10;
  if (durationMs <= 10_000) return Math.ceil(durationMs / 100) * 100;
  return Math.ceil(durationMs / 1_000) * 1_000;
}

/**
 * The same rule as SQL over a double precision column of whole milliseconds (PostgreSQL, and the
 * text in sql/materialize, sql/risingwave and sql/postgres/006 that tests compare against it).
 */
export function latencyBucketSql(column: string): string {
  return `case when ${column} <= 100 then ${column}
    when ${column} <= 1000 then ceil(${column} / 10) * 10
    when ${column} <= 10000 then ceil(${column} / 100) * 100
    else ceil(${column} / 1000) * 1000 end`;
}

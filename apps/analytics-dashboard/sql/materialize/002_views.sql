-- Materialize: the dashboard's views, same names and columns as sql/postgres/003_views.sql.
-- Windows with date_bin on the line's own ts (event time, UTC, epoch-aligned). Percentiles are
-- exact (percentile_disc semantics): the window's sorted request times, indexed. duration_ms
-- arrives in whole milliseconds: the shipper rounds request times before producing
-- (src/shipper/request-time.ts), so this engine sees the same values as the others. The latency
-- view's percentiles are over bucket bounds (src/views/latency-buckets.ts), like every engine's.
CREATE MATERIALIZED VIEW IF NOT EXISTS requests_per_second AS
SELECT
  date_bin(INTERVAL '1 second', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
  date_bin(INTERVAL '1 second', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '1 second' AS window_end,
  count(*)::BIGINT AS requests
FROM http_logs
GROUP BY 1, 2;

CREATE MATERIALIZED VIEW IF NOT EXISTS requests_per_10s AS
SELECT
  date_bin(INTERVAL '10 seconds', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
  date_bin(INTERVAL '10 seconds', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '10 seconds' AS window_end,
  count(*)::BIGINT AS requests
FROM http_logs
GROUP BY 1, 2;

CREATE MATERIALIZED VIEW IF NOT EXISTS status_per_minute AS
SELECT
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '1 minute' AS window_end,
  status_class,
  count(*)::BIGINT AS requests
FROM http_logs
GROUP BY 1, 2, 3;

CREATE MATERIALIZED VIEW IF NOT EXISTS error_rate_per_minute AS
SELECT
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '1 minute' AS window_end,
  count(*)::BIGINT AS requests,
  (count(*) FILTER (WHERE status >= 500))::BIGINT AS errors,
  (count(*) FILTER (WHERE status >= 500))::DOUBLE PRECISION / count(*)::DOUBLE PRECISION AS error_rate
FROM http_logs
GROUP BY 1, 2;

CREATE MATERIALIZED VIEW IF NOT EXISTS latency_per_route_per_minute AS
SELECT
  window_start,
  window_end,
  route,
  requests,
  sorted[ceil(0.50 * requests)::INT] AS p50_ms,
  sorted[ceil(0.95 * requests)::INT] AS p95_ms,
  sorted[ceil(0.99 * requests)::INT] AS p99_ms
FROM (
  SELECT
    date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
    date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '1 minute' AS window_end,
    route,
    count(*)::BIGINT AS requests,
    array_agg(CASE WHEN duration_ms <= 100 THEN duration_ms
      WHEN duration_ms <= 1000 THEN ceil(duration_ms / 10) * 10
      WHEN duration_ms <= 10000 THEN ceil(duration_ms / 100) * 100
      ELSE ceil(duration_ms / 1000) * 1000 END ORDER BY duration_ms) AS sorted
  FROM http_logs
  GROUP BY 1, 2, 3
) per_route;

CREATE MATERIALIZED VIEW IF NOT EXISTS top_paths_5m AS
SELECT window_start, window_end, path, requests, rank
FROM (
  SELECT
    window_start,
    window_end,
    path,
    requests,
    row_number() OVER (PARTITION BY window_start ORDER BY requests DESC, path) AS rank
  FROM (
    SELECT
      date_bin(INTERVAL '5 minutes', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
      date_bin(INTERVAL '5 minutes', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '5 minutes' AS window_end,
      path,
      count(*)::BIGINT AS requests
    FROM http_logs
    GROUP BY 1, 2, 3
  ) counted
) ranked
WHERE rank <= 10;

CREATE MATERIALIZED VIEW IF NOT EXISTS unique_clients_per_minute AS
SELECT
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS window_start,
  date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') + INTERVAL '1 minute' AS window_end,
  count(DISTINCT client_ip)::BIGINT AS unique_clients
FROM http_logs
GROUP BY 1, 2;

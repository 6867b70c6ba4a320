-- RisingWave: the dashboard's views, same names and columns as sql/postgres/003_views.sql.
-- TUMBLE windows on the line's own ts (event time, UTC). Percentiles use approx_percentile
-- (RisingWave's streaming percentile, relative error 1%); the PostgreSQL engine's are exact.
-- "durationMs" arrives in whole milliseconds: the shipper rounds request times before producing
-- (src/shipper/request-time.ts), so this engine sees the same values as the others. The latency
-- view's percentiles are over bucket bounds (src/views/latency-buckets.ts), like every engine's.
CREATE MATERIALIZED VIEW IF NOT EXISTS requests_per_second AS
SELECT window_start, window_end, count(*)::BIGINT AS requests
FROM TUMBLE(http_logs, ts, INTERVAL '1 SECOND')
GROUP BY window_start, window_end;

CREATE MATERIALIZED VIEW IF NOT EXISTS requests_per_10s AS
SELECT window_start, window_end, count(*)::BIGINT AS requests
FROM TUMBLE(http_logs, ts, INTERVAL '10 SECONDS')
GROUP BY window_start, window_end;

CREATE MATERIALIZED VIEW IF NOT EXISTS status_per_minute AS
SELECT window_start, window_end, "statusClass" AS status_class, count(*)::BIGINT AS requests
FROM TUMBLE(http_logs, ts, INTERVAL '1 MINUTE')
GROUP BY window_start, window_end, "statusClass";

CREATE MATERIALIZED VIEW IF NOT EXISTS error_rate_per_minute AS
SELECT
  window_start,
  window_end,
  count(*)::BIGINT AS requests,
  (count(*) FILTER (WHERE status >= 500))::BIGINT AS errors,
  (count(*) FILTER (WHERE status >= 500))::DOUBLE PRECISION / count(*)::DOUBLE PRECISION AS error_rate
FROM TUMBLE(http_logs, ts, INTERVAL '1 MINUTE')
GROUP BY window_start, window_end;

CREATE MATERIALIZED VIEW IF NOT EXISTS latency_per_route_per_minute AS
SELECT
  window_start,
  window_end,
  route,
  count(*)::BIGINT AS requests,
  approx_percentile(0.50, 0.01) WITHIN GROUP (ORDER BY bucket_ms) AS p50_ms,
  approx_percentile(0.95, 0.01) WITHIN GROUP (ORDER BY bucket_ms) AS p95_ms,
  approx_percentile(0.99, 0.01) WITHIN GROUP (ORDER BY bucket_ms) AS p99_ms
FROM (
  SELECT
    window_start,
    window_end,
    route,
    CASE WHEN "durationMs" <= 100 THEN "durationMs"
      WHEN "durationMs" <= 1000 THEN ceil("durationMs" / 10) * 10
      WHEN "durationMs" <= 10000 THEN ceil("durationMs" / 100) * 100
      ELSE ceil("durationMs" / 1000) * 1000 END AS bucket_ms
  FROM TUMBLE(http_logs, ts, INTERVAL '1 MINUTE')
) bucketed
GROUP BY window_start, window_end, route;

-- Top-N per window: RisingWave maintains the ROW_NUMBER() … WHERE rank <= N pattern incrementally
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
    SELECT window_start, window_end, path, count(*)::BIGINT AS requests
    FROM TUMBLE(http_logs, ts, INTERVAL '5 MINUTES')
    GROUP BY window_start, window_end, path
  ) counted
) ranked
WHERE rank <= 10;

CREATE MATERIALIZED VIEW IF NOT EXISTS unique_clients_per_minute AS
SELECT window_start, window_end, count(DISTINCT "clientIp")::BIGINT AS unique_clients
FROM TUMBLE(http_logs, ts, INTERVAL '1 MINUTE')
GROUP BY window_start, window_end;

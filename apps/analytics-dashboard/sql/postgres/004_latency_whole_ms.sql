-- Request times are whole milliseconds from now on: the shipper rounds them (halves up,
-- src/shipper/request-time.ts) before they reach logs.http, so dash_latency_1m holds at most one
-- row per (minute, route, millisecond). The table keeps its definition; this folds the rows that
-- an older shipper's microsecond request times left into their millisecond, so every window
-- follows the same definition. round(numeric) rounds halves away from zero, i.e. up here
-- (request times are >= 0), like Math.round; round(double precision) would round halves to even.
-- Raw lines (dash_log_lines) keep what they were received with: no view reads them, and they
-- leave with SINK_LINES_RETENTION_MS.
with folded as (
  delete from dash_latency_1m
  where duration_ms <> round(duration_ms::numeric)::double precision
  returning window_start, route, round(duration_ms::numeric)::double precision as duration_ms, requests
)
insert into dash_latency_1m as t (window_start, route, duration_ms, requests)
select window_start, route, duration_ms, sum(requests)::bigint
from folded
group by window_start, route, duration_ms
on conflict (window_start, route, duration_ms) do update set requests = t.requests + excluded.requests;

-- the table is a fraction of its former size: plan the views' reads with that (VACUUM cannot run
-- inside the migration's transaction; autovacuum reclaims the deleted rows)
analyze dash_latency_1m;

-- open dashboards re-read the views
update dash_views_version set version = version + 1 where id = 1;

-- The dashboard's views: the same names and columns as sql/risingwave and sql/materialize.
-- Windows are by event time (the log line's ts), aligned to the UNIX epoch in UTC.
create view requests_per_second as
select window_start, window_start + interval '1 second' as window_end, requests
from dash_requests_1s;

create view requests_per_10s as
select window_start, window_start + interval '10 seconds' as window_end, requests
from dash_requests_10s;

create view status_per_minute as
select window_start, window_start + interval '1 minute' as window_end, status_class, requests
from dash_status_1m;

create view error_rate_per_minute as
select
  window_start,
  window_start + interval '1 minute' as window_end,
  sum(requests)::bigint as requests,
  (coalesce(sum(requests) filter (where status_class = '5xx'), 0))::bigint as errors,
  (coalesce(sum(requests) filter (where status_class = '5xx'), 0)::double precision
    / sum(requests)::double precision) as error_rate
from dash_status_1m
group by window_start;

-- percentile_disc semantics: the smallest request time whose cumulative share reaches p
create view latency_per_route_per_minute as
with h as (
  select
    window_start, route, duration_ms,
    sum(requests) over (partition by window_start, route order by duration_ms) as cumulative,
    sum(requests) over (partition by window_start, route) as total
  from dash_latency_1m
)
select
  window_start,
  window_start + interval '1 minute' as window_end,
  route,
  total::bigint as requests,
  min(duration_ms) filter (where cumulative >= ceil(0.50 * total)) as p50_ms,
  min(duration_ms) filter (where cumulative >= ceil(0.95 * total)) as p95_ms,
  min(duration_ms) filter (where cumulative >= ceil(0.99 * total)) as p99_ms
from h
group by window_start, route, total;

-- the ten most requested paths of each 5-minute window (ties broken by path)
create view top_paths_5m as
select window_start, window_end, path, requests, rank
from (
  select
    window_start,
    window_start + interval '5 minutes' as window_end,
    path,
    requests,
    row_number() over (partition by window_start order by requests desc, path collate "C") as rank
  from dash_paths_5m
) ranked
where rank <= 10;

create view unique_clients_per_minute as
select window_start, window_start + interval '1 minute' as window_end, clients as unique_clients
from dash_unique_clients_1m;

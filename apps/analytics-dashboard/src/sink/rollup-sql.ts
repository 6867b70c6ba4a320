import { latencyBucketSql } from '../views/latency-buckets.ts';

/**
 * One statement per batch: move the staged lines that are new (not seen before, not behind the
 * watermark) into dash_log_lines and add exactly those to every per-window rollup. Only the
 * windows the batch touches are written; nothing is recomputed from history.
 * $1 = allowed lateness in ms.
 */
export const APPLY_STAGED_SQL = `
with watermark as (
  select coalesce(max_event_ts, '-infinity'::timestamptz) - $1::double precision * interval '1 millisecond' as at
  from dash_views_version where id = 1
),
staged as (
  select s.* from dash_log_staging s, watermark w where s.ts >= w.at
),
new as (
  insert into dash_log_lines select * from staged
  on conflict (line_key) do nothing
  returning ts, status_class, route, path, client_ip, duration_ms
),
binned as (
  select
    date_bin('1 second', ts, timestamptz '1970-01-01 00:00:00+00') as second,
    date_bin('10 seconds', ts, timestamptz '1970-01-01 00:00:00+00') as ten_seconds,
    date_bin('1 minute', ts, timestamptz '1970-01-01 00:00:00+00') as minute,
    date_bin('5 minutes', ts, timestamptz '1970-01-01 00:00:00+00') as five_minutes,
    status_class, route, path, client_ip, duration_ms
  from new
),
r1s as (
  insert into dash_requests_1s as t (window_start, requests)
  select second, count(*) from binned group by second
  on conflict (window_start) do update set requests = t.requests + excluded.requests
),
r10s as (
  insert into dash_requests_10s as t (window_start, requests)
  select ten_seconds, count(*) from binned group by ten_seconds
  on conflict (window_start) do update set requests = t.requests + excluded.requests
),
status as (
  insert into dash_status_1m as t (window_start, status_class, requests)
  select minute, status_class, count(*) from binned group by minute, status_class
  on conflict (window_start, status_class) do update set requests = t.requests + excluded.requests
),
latency as (
  insert into dash_latency_1m as t (window_start, route, duration_ms, requests)
  select minute, route, ${latencyBucketSql('duration_ms')}, count(*) from binned group by 1, 2, 3
  on conflict (window_start, route, duration_ms) do update set requests = t.requests + excluded.requests
),
paths as (
  insert into dash_paths_5m as t (window_start, path, requests)
  select five_minutes, path, count(*) from binned group by five_minutes, path
  on conflict (window_start, path) do update set requests = t.requests + excluded.requests
),
clients as (
  insert into dash_clients_1m (window_start, client_ip)
  select distinct minute, client_ip from binned
  on conflict do nothing
  returning window_start
),
unique_clients as (
  insert into dash_unique_clients_1m as t (window_start, clients)
  select window_start, count(*) from clients group by window_start
  on conflict (window_start) do update set clients = t.clients + excluded.clients
)
select
  (select count(*) from new)::int as inserted,
  (select count(*) from dash_log_staging)::int - (select count(*) from staged)::int as late,
  (select max(ts) from new) as max_ts
`;

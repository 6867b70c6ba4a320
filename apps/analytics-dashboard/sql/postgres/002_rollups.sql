-- Per-window rollup state, upserted by the sink in the same transaction as the raw lines, so
-- every view reads a few rows per window instead of recomputing from all history.
create table dash_requests_1s (window_start timestamptz primary key, requests bigint not null);
create table dash_requests_10s (window_start timestamptz primary key, requests bigint not null);
create table dash_status_1m (
  window_start timestamptz not null,
  status_class text not null,
  requests bigint not null,
  primary key (window_start, status_class)
);
-- the exact multiset of request times per (minute, route): exact percentiles without raw rows
create table dash_latency_1m (
  window_start timestamptz not null,
  route text not null,
  duration_ms double precision not null,
  requests bigint not null,
  primary key (window_start, route, duration_ms)
);
create table dash_paths_5m (
  window_start timestamptz not null,
  path text not null,
  requests bigint not null,
  primary key (window_start, path)
);
create table dash_clients_1m (
  window_start timestamptz not null,
  client_ip text not null,
  primary key (window_start, client_ip)
);
create table dash_unique_clients_1m (window_start timestamptz primary key, clients bigint not null);
-- bumped by every sink transaction that changed a view: the dashboard polls this one row
create table dash_views_version (
  id smallint primary key check (id = 1),
  version bigint not null,
  max_event_ts timestamptz
);
insert into dash_views_version (id, version) values (1, 0);

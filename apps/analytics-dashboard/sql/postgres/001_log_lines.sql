-- Raw access-log lines as the sink received them. line_key makes the sink idempotent: the
-- shipper's line id (file identity + offset) when present, else topic:partition:offset.
create table dash_log_lines (
  line_key text primary key,
  ts timestamptz not null,
  host text not null,
  method text not null,
  path text not null,
  route text not null,
  status smallint not null,
  status_class text not null,
  bytes bigint not null,
  duration_ms double precision not null,
  client_ip text not null,
  ua_family text not null,
  is_bot boolean not null,
  source text not null,
  kafka_partition integer not null,
  kafka_offset bigint not null
);
create index dash_log_lines_ts on dash_log_lines (ts);

-- Webhook outbox: one row per (alert, url), written in the same transaction as the alert, so a
-- delivery is never lost to a crash; workers claim due rows with FOR UPDATE SKIP LOCKED.
create table if not exists fraud_alert_deliveries (
  delivery_id      uuid primary key default gen_random_uuid(),
  alert_id         text not null references fraud_alerts (alert_id),
  url              text not null,
  status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_error       text,
  last_status_code integer,
  created_at       timestamptz not null default now(),
  delivered_at     timestamptz,
  unique (alert_id, url)
);

create index if not exists fraud_alert_deliveries_due on fraud_alert_deliveries (next_attempt_at)
  where status = 'pending';

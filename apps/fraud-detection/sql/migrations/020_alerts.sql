-- The alert system's store: one row per flagged payment (upsert by payment_id), plus an ordered
-- log of what changed (new alert, acknowledgement) that live SSE subscribers replay from.
create table if not exists fraud_alerts (
  payment_id      text primary key,
  alert_id        text not null unique,
  card_id         text not null,
  account_id      text not null,
  merchant_id     text not null,
  amount          bigint not null check (amount > 0),
  currency        char(3) not null,
  country         char(2) not null,
  decision        text not null check (decision in ('review', 'decline')),
  score           double precision not null,
  reasons         jsonb not null,
  rule_ids        jsonb not null,
  model_version   text not null,
  payment_ts      timestamptz not null,
  created_at      timestamptz not null,
  received_at     timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  ack_note        text
);

-- keyset pagination, newest first, with and without the common filters
create index if not exists fraud_alerts_newest on fraud_alerts (created_at desc, alert_id desc);
create index if not exists fraud_alerts_card_newest on fraud_alerts (card_id, created_at desc, alert_id desc);
create index if not exists fraud_alerts_unacked on fraud_alerts (created_at desc, alert_id desc)
  where acknowledged_at is null;

-- Ids are taken under a transaction-level advisory lock by every writer, so they become visible in
-- id order: a reader that has seen id N has seen everything below N (SSE resume relies on it).
create table if not exists fraud_alert_events (
  event_id   bigserial primary key,
  kind       text not null check (kind in ('alert', 'ack')),
  alert_id   text not null references fraud_alerts (alert_id),
  created_at timestamptz not null default now()
);

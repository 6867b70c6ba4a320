-- Labelled payment history (written by the generator's `history` mode, read by the trainer in
-- event-time order). Idempotent by payment_id: re-running the generator with the same seed adds nothing.
create table if not exists fraud_payment_history (
  payment_id text primary key,
  card_id text not null,
  ts timestamptz not null,
  payment jsonb not null,          -- the Payment event exactly as the gateway would receive it
  is_fraud boolean not null,       -- ground truth
  scenario text,                   -- injected fraud scenario (card_testing, …); null when legitimate
  scenario_instance text,          -- one id per injected attack; its payments share it
  check ((scenario is null) = (not is_fraud))
);

create index if not exists fraud_payment_history_ts on fraud_payment_history (ts);

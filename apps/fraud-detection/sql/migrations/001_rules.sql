-- The rules engine's rules: data, not code. The detector loads the enabled ones, skips (and
-- reports) any that do not parse, and reloads on NOTIFY fraud_rules_changed (trigger below).
-- Condition language: src/domain/rules/types.ts. Seed rows = defaultRules (src/domain/rules/defaults.ts).
create table if not exists fraud_rules (
  id text primary key,
  description text not null,
  condition jsonb not null,
  score double precision not null check (score between 0 and 1),
  action text not null check (action in ('review', 'decline', 'flag')),
  enabled boolean not null default true,
  priority int not null default 100,
  updated_at timestamptz not null default now()
);

create or replace function fraud_rules_notify() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  perform pg_notify('fraud_rules_changed', coalesce(new.id, old.id));
  return coalesce(new, old);
end
$$;

-- BEFORE so an update also stamps updated_at; the NOTIFY is delivered at commit either way
create or replace trigger fraud_rules_changed
  before insert or update or delete on fraud_rules
  for each row execute function fraud_rules_notify();

insert into fraud_rules (id, description, condition, score, action, enabled, priority) values
  ('R-CARD-TESTING',
   'tiny probe payments, then a large one within minutes',
   '{"pattern":"card_testing"}'::jsonb,
   0.95, 'decline', true, 10),
  ('R-IMPOSSIBLE-TRAVEL',
   'used in a country too far away to have travelled there since the last payment',
   '{"pattern":"impossible_travel"}'::jsonb,
   0.8, 'review', true, 20),
  ('R-VELOCITY-BURST',
   'far more payments or money in a short time than this card normally does',
   '{"pattern":"velocity_burst"}'::jsonb,
   0.7, 'review', true, 30),
  ('R-HIGH-RISK-MCC-FIRST-USE',
   'first payment of this card at a gambling, money-transfer or quasi-cash merchant, and an unusual amount',
   '{"all":[{"pattern":"high_risk_mcc_first_use"},{"feature":"new_device","op":"==","value":1},{"feature":"amount_zscore","op":">=","value":1}]}'::jsonb,
   0.6, 'review', true, 40),
  ('R-LARGE-NEW-MERCHANT',
   'an unusually large amount for this card at a merchant it never used',
   '{"all":[{"feature":"amount_zscore","op":">=","value":3},{"feature":"new_merchant","op":"==","value":1},{"feature":"log_card_payments","op":">=","value":1.791759469228055}]}'::jsonb,
   0.3, 'flag', true, 50),
  ('R-LARGE-FIRST-ABROAD',
   'an unusually large first payment in a country this card never paid in',
   '{"all":[{"feature":"new_country","op":"==","value":1},{"feature":"new_merchant","op":"==","value":1},{"feature":"amount_zscore","op":">=","value":2.5}]}'::jsonb,
   0.6, 'review', true, 55),
  ('R-EMBARGOED-COUNTRY',
   'payment in a comprehensively sanctioned country',
   '{"field":"country","op":"in","value":["CU","IR","KP","SY"]}'::jsonb,
   0.6, 'review', true, 60)
on conflict (id) do nothing;

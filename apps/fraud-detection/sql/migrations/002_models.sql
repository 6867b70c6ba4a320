-- Trained fraud models (written by the trainer, read by the detector). The detector scores with
-- the newest active model by created_at and reloads when a version is published (NOTIFY below).
create table if not exists fraud_models (
  version text primary key,
  model jsonb not null, -- StoredModel (src/domain/contracts.ts): feature names, standardisation, weights, metrics
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create index if not exists fraud_models_active_newest on fraud_models (created_at desc) where active;

create or replace function fraud_models_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('fraud_model_published', coalesce(new.version, old.version));
  return null;
end
$$;

-- any change can alter which model is newest-active: insert, (de)activation, deletion
create or replace trigger fraud_models_published
  after insert or update or delete on fraud_models
  for each row execute function fraud_models_notify();

-- Retention (src/alerts/retention.ts). An expired alert takes its change-log entries and webhook
-- deliveries with it (cascade, by the alert_id index below), and the log and the finished
-- deliveries also expire sooner, by their own age (the created_at indexes below).
alter table fraud_alert_events
  drop constraint fraud_alert_events_alert_id_fkey,
  add constraint fraud_alert_events_alert_id_fkey
    foreign key (alert_id) references fraud_alerts (alert_id) on delete cascade;
alter table fraud_alert_deliveries
  drop constraint fraud_alert_deliveries_alert_id_fkey,
  add constraint fraud_alert_deliveries_alert_id_fkey
    foreign key (alert_id) references fraud_alerts (alert_id) on delete cascade;

create index if not exists fraud_alert_events_alert on fraud_alert_events (alert_id);
create index if not exists fraud_alert_events_created on fraud_alert_events (created_at);
create index if not exists fraud_alert_deliveries_finished on fraud_alert_deliveries (created_at)
  where status <> 'pending';

import { type BatchLimits, pruneTables, type TableRetention, tryWithAdvisoryLock } from '@streamkit/postgres';
import type { Removed } from '@streamkit/runtime';
import type { Pool } from 'pg';

export interface AlertsRetention {
  readonly alertsRetentionMs: number;
  readonly eventsRetentionMs: number;
  readonly deliveriesRetentionMs: number;
  readonly limits: BatchLimits;
}

/** Per family: the rows deleted (an alert's cascaded events and deliveries are not counted apart). */
export function alertFamilies(retention: AlertsRetention): TableRetention[] {
  return [
    // the log and the finished deliveries first: what they delete the alerts' cascade need not visit
    {
      family: 'fraud_alert_events',
      table: 'fraud_alert_events',
      column: 'created_at',
      retentionMs: retention.eventsRetentionMs,
    },
    {
      family: 'fraud_alert_deliveries',
      table: 'fraud_alert_deliveries',
      column: 'created_at',
      retentionMs: retention.deliveriesRetentionMs,
      onlyWhere: "status <> 'pending'",
    },
    {
      family: 'fraud_alerts',
      table: 'fraud_alerts',
      column: 'created_at',
      retentionMs: retention.alertsRetentionMs,
    },
  ];
}

/**
 * One prune of the alert store, by the wall clock, under an advisory lock: of several replicas
 * one prunes, the others skip (undefined).
 */
export async function pruneAlerts(
  pool: Pool,
  retention: AlertsRetention,
  signal?: AbortSignal,
): Promise<Removed | undefined> {
  const run = await tryWithAdvisoryLock(pool, 'streamkit.fraud.alerts.retention', (client) =>
    pruneTables(client, alertFamilies(retention), { limits: retention.limits, signal }),
  );
  return run.acquired ? run.value : undefined;
}

import { env } from '@streamkit/config';

const DAY_MS = 86_400_000;

/** How long the alert service keeps each family of its rows, and how it prunes (README: Retention). */
export const alertsRetentionEnv = Object.freeze({
  /** Alerts by created_at (the detector's decision time); their events and deliveries go with them. */
  alertsRetentionMs: env.int('ALERTS_RETENTION_MS', { default: 30 * DAY_MS, min: 60_000 }),
  /** The SSE change log (fraud_alert_events): only a reconnecting stream reads it back. */
  eventsRetentionMs: env.int('ALERTS_EVENTS_RETENTION_MS', { default: 7 * DAY_MS, min: 60_000 }),
  /** Finished webhook deliveries (delivered or failed); pending ones stay while their alert does. */
  deliveriesRetentionMs: env.int('ALERTS_DELIVERIES_RETENTION_MS', { default: 7 * DAY_MS, min: 60_000 }),
  retentionIntervalMs: env.int('ALERTS_RETENTION_INTERVAL_MS', { default: 600_000, min: 100 }),
  retentionBatchRows: env.int('ALERTS_RETENTION_BATCH_ROWS', { default: 5000, min: 1, max: 100_000 }),
});

/** Settings valid alone but not together (each a sentence naming the variables). */
export function crossCheckAlertsRetention(config: {
  alertsRetentionMs: number;
  eventsRetentionMs: number;
  deliveriesRetentionMs: number;
}): string[] {
  const problems: string[] = [];
  // a longer one would promise rows that the alerts' cascade deletes anyway
  if (config.eventsRetentionMs > config.alertsRetentionMs)
    problems.push('ALERTS_EVENTS_RETENTION_MS must be <= ALERTS_RETENTION_MS');
  if (config.deliveriesRetentionMs > config.alertsRetentionMs)
    problems.push('ALERTS_DELIVERIES_RETENTION_MS must be <= ALERTS_RETENTION_MS');
  return problems;
}

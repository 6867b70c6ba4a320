// Retention of the alert store on a real PostgreSQL: after a prune exactly the expired alerts (with
// their change log and deliveries), log entries and finished deliveries are gone; a far-future alert
// moves no cutoff; the service prunes on its own schedule and counts it in /metrics.
import { type Removed, startService } from '@streamkit/runtime';
import { sampleValue } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlertSink } from '../src/alerts/alert-sink.ts';
import { pruneAlerts } from '../src/alerts/retention.ts';
import { alertsService } from '../src/alerts/service.ts';
import {
  type AlertsHarness,
  alertsReadHeaders,
  alertsTestApiKey,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';
import { serviceEnv } from './support/service-env.ts';

const DAY = 86_400_000;
const defaults = {
  alertsRetentionMs: 30 * DAY,
  eventsRetentionMs: 7 * DAY,
  deliveriesRetentionMs: 7 * DAY,
  limits: { batchRows: 2, pauseMs: 0 },
};
let h: AlertsHarness;

beforeAll(async () => {
  h = await startAlertsHarness(); // default interval (10 min): no prune of its own during the test
});
afterAll(async () => {
  await h?.close();
});

/** Stores alerts `name`… created `ageMs` ago, each with one webhook delivery, as the sink does. */
async function store(names: readonly string[], ageMs: number): Promise<void> {
  const sink = createAlertSink({ pool: h.pool, webhookUrls: ['http://127.0.0.1:9/hook'] });
  const createdAt = new Date(Date.now() - ageMs).toISOString();
  await sink.write(
    names.map((name, i) =>
      makeAlert(i, { alertId: name, paymentId: `pay-${name}`, createdAt, paymentTs: createdAt }),
    ),
  );
}

async function age(table: 'fraud_alert_events' | 'fraud_alert_deliveries', alertId: string, days: number) {
  await h.pool.query(`update ${table} set created_at = now() - $2 * interval '1 day' where alert_id = $1`, [
    alertId,
    days,
  ]);
}

const column = async (sql: string) => (await h.pool.query<{ v: string }>(sql)).rows.map((r) => r.v);

describe('alert retention', () => {
  it('deletes exactly the expired rows of each family, by the wall clock', async () => {
    await store(['old-1', 'old-2'], 40 * DAY);
    await store(['recent-1', 'recent-2', 'recent-3'], 10 * DAY);
    await store(['fresh'], 3_600_000);
    await store(['future'], 0);
    // one alert dated 2099 (a broken clock): it must not make everything else look old
    await h.pool.query(
      `update fraud_alerts set created_at = '2099-01-01T00:00:00Z' where alert_id = 'future'`,
    );
    expect((await h.store.acknowledge('old-2', 'ana', undefined)).status).toBe('acknowledged');
    for (const id of ['old-1', 'old-2', 'recent-1']) {
      // the old alerts' own 'alert' entries are as old as they are; old-2's ack entry is new
      await h.pool.query(
        `update fraud_alert_events set created_at = now() - interval '8 days' where alert_id = $1 and kind = 'alert'`,
        [id],
      );
    }
    await age('fraud_alert_events', 'recent-2', 6);
    await h.pool.query(
      `update fraud_alert_deliveries set status = 'delivered' where alert_id in ('recent-1', 'fresh')`,
    );
    await h.pool.query(`update fraud_alert_deliveries set status = 'failed' where alert_id = 'recent-3'`);
    for (const id of ['recent-1', 'recent-2', 'recent-3']) await age('fraud_alert_deliveries', id, 8);
    await age('fraud_alert_deliveries', 'fresh', 1);

    const removed: Removed | undefined = await pruneAlerts(h.pool, defaults);
    // events: old-1, old-2, recent-1 (8 d); deliveries: recent-1 delivered and recent-3 failed (8 d);
    // alerts: old-1, old-2 (40 d), whose ack entry and pending deliveries go with them
    expect(removed).toEqual({ fraud_alert_events: 3, fraud_alert_deliveries: 2, fraud_alerts: 2 });
    expect(await column('select alert_id as v from fraud_alerts order by alert_id')).toEqual([
      'fresh',
      'future',
      'recent-1',
      'recent-2',
      'recent-3',
    ]);
    expect(await column('select alert_id as v from fraud_alert_events order by alert_id')).toEqual([
      'fresh',
      'future',
      'recent-2',
      'recent-3',
    ]);
    // recent-2's delivery is still pending: it stays while its alert does, whatever its age
    expect(
      await column(`select alert_id || ':' || status as v from fraud_alert_deliveries order by alert_id`),
    ).toEqual(['fresh:delivered', 'future:pending', 'recent-2:pending']);

    // nothing more to delete; the REST API still answers for what is kept
    expect(await pruneAlerts(h.pool, defaults)).toEqual({
      fraud_alert_events: 0,
      fraud_alert_deliveries: 0,
      fraud_alerts: 0,
    });
    const listed = await h.app.inject({ method: 'GET', url: '/alerts?limit=50', headers: alertsReadHeaders });
    expect(listed.json().alerts.map((a: { alertId: string }) => a.alertId)).toEqual([
      'future',
      'fresh',
      'recent-3',
      'recent-2',
      'recent-1',
    ]);
  });

  it('the service prunes on its own schedule and counts the rows in /metrics', async () => {
    await store(['expired-later'], 31 * DAY);
    const infra = inject('infrastructure');
    // a second replica on the same topics and database, in a consumer group of its own
    const pruner = await startService(alertsService, {
      env: serviceEnv(
        {
          infra,
          topicPrefix: h.groupId.replace(/fraud-alerts$/, ''),
          keyPrefix: 'unused',
          databaseUrl: h.database.url,
        },
        { ALERTS_API_KEY: alertsTestApiKey, ALERTS_GROUP_ID: 'pruner', ALERTS_RETENTION_INTERVAL_MS: '100' },
      ),
    });
    try {
      await expect
        .poll(() => column(`select alert_id as v from fraud_alerts where alert_id = 'expired-later'`), {
          timeout: 10_000,
        })
        .toEqual([]);
      // the rows go before the run ends and counts them: wait for the count too
      const removed = async () =>
        sampleValue(
          await (await fetch(`${pruner.address}/metrics`)).text(),
          'streamkit_retention_removed_total',
          {
            family: 'fraud_alerts',
          },
        );
      await expect.poll(removed, { timeout: 10_000 }).toBe(1);
      expect(await column('select count(*)::text as v from fraud_alerts')).toEqual(['5']);
    } finally {
      await pruner.stop();
    }
  });

  it('refuses a change-log or delivery retention longer than the alerts it belongs to', async () => {
    const infra = inject('infrastructure');
    await expect(
      startService(alertsService, {
        env: serviceEnv(
          { infra, topicPrefix: 'unused.', keyPrefix: 'unused', databaseUrl: h.database.url },
          {
            ALERTS_API_KEY: alertsTestApiKey,
            ALERTS_RETENTION_MS: String(DAY),
            ALERTS_EVENTS_RETENTION_MS: String(2 * DAY),
          },
        ),
      }),
    ).rejects.toThrow(/ALERTS_EVENTS_RETENTION_MS must be <= ALERTS_RETENTION_MS/);
  });
});

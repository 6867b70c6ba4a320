// PostgreSQL down under the alert system: alerts wait (never dead-lettered), /health says why, each is stored once after.
import type { HealthReport } from '@streamkit/runtime';
import type { FraudAlert } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AlertsHarness, makeAlert, startAlertsHarness } from './support/alerts-harness.ts';

let h: AlertsHarness;
let admin: KafkaTestAdmin;
let superuser: pg.Client;

/** Makes the test's database refuse new connections and ends the open ones (or lets them in again). */
async function refuseConnections(refuse: boolean): Promise<void> {
  await superuser.query(`alter database "${h.database.name}" allow_connections ${!refuse}`);
  if (refuse)
    await superuser.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
      h.database.name,
    ]);
}

async function health(): Promise<{ status: number; body: HealthReport }> {
  const response = await h.app.inject({ method: 'GET', url: '/health' });
  return { status: response.statusCode, body: response.json() as HealthReport };
}

/** The sum of a counter's samples for `topic` (and `label`, if given), whatever their other labels. */
async function counterFor(name: string, topic: string, label = ''): Promise<number> {
  const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  return text
    .split('\n')
    .filter(
      (line) => line.startsWith(`${name}{`) && line.includes(`topic="${topic}"`) && line.includes(label),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  h = await startAlertsHarness();
  admin = await createKafkaTestAdmin(inject('infrastructure').kafkaBrokers);
  superuser = new pg.Client({ connectionString: inject('infrastructure').databaseUrl });
  await superuser.connect();
});

afterAll(async () => {
  await refuseConnections(false).catch(() => undefined);
  await superuser?.end();
  await admin?.disconnect();
  await h?.close();
});

describe('alerts while PostgreSQL refuses connections', () => {
  it('wait with /health degraded, nothing dead-lettered, and are stored once each when it is back', async () => {
    const alerts: FraudAlert[] = Array.from({ length: 12 }, (_, i) => makeAlert(i));
    const topic = h.topics.alerts.name;
    await refuseConnections(true);
    try {
      await h.produce(alerts);
      await expect
        .poll(async () => (await health()).body.checks.consumer?.error ?? '', { timeout: 30_000 })
        .toMatch(/^waiting on infrastructure since \S+ \(\d+ s\): postgres:/);
      const during = await health();
      expect(during.status).toBe(503);
      expect(during.body.status).toBe('degraded');
      expect(during.body.checks.kafka?.status).toBe('ok');
      await expect
        .poll(() => counterFor('streamkit_consumer_transient_failures_total', topic), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(2);
      expect(await counterFor('streamkit_events_failed_total', topic, 'reason="dlq"')).toBe(0);
    } finally {
      await refuseConnections(false);
    }

    await expect
      .poll(
        async () => {
          const { rows } = await h.pool.query<{ n: number }>('select count(*)::int as n from fraud_alerts');
          return rows[0]?.n;
        },
        { timeout: 30_000 },
      )
      .toBe(alerts.length);
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
    const events = await h.pool.query<{ n: number; distinct_alerts: number }>(
      "select count(*)::int as n, count(distinct alert_id)::int as distinct_alerts from fraud_alert_events where kind = 'alert'",
    );
    expect(events.rows[0]).toEqual({ n: alerts.length, distinct_alerts: alerts.length });
    expect(await admin.readTopic(`${topic}.dlq`)).toEqual([]);
  });
});

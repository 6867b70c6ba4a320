// The alert sink writes a batch (alerts, change-log events, webhook deliveries, NOTIFY) in one
// statement, idempotently: counted on the wire by a pg client that counts its queries.
import { createTestDatabase, type TestDatabase, waitFor } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALERT_EVENTS_CHANNEL } from '../src/alerts/alert-events.ts';
import { createAlertSink } from '../src/alerts/alert-sink.ts';
import { migrate } from '../src/db/migrate.ts';
import { makeAlert } from './support/alerts-harness.ts';

let queries = 0;
class CountingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this only counts
  override query(...args: any[]): any {
    queries++;
    // biome-ignore lint/suspicious/noExplicitAny: forwarded as received
    return (super.query as (...a: any[]) => any)(...args);
  }
}

let db: TestDatabase;
let pool: pg.Pool;
let listener: pg.Client;
const notified: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('infrastructure').databaseUrl, 'fraud');
  const setup = new pg.Pool({ connectionString: db.url, max: 1 });
  await migrate(setup);
  await setup.end();
  pool = new pg.Pool({ connectionString: db.url, max: 2, Client: CountingClient });
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (n) => notified.push(n.payload ?? ''));
  await listener.query(`listen ${ALERT_EVENTS_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
  await pool?.end();
  await db?.drop();
});

async function count(sql: string): Promise<number> {
  const { rows } = await listener.query<{ n: string }>(sql);
  return Number(rows[0]?.n);
}

describe('alert sink', () => {
  it('stores a batch in one statement; a redelivered batch inserts nothing and notifies nobody', async () => {
    const sink = createAlertSink({ pool, webhookUrls: ['http://a.example/hook', 'http://b.example/hook'] });
    const batch = Array.from({ length: 50 }, (_, i) => makeAlert(i));
    // a payment twice within the batch: the first occurrence is kept
    const withRepeat = [...batch, makeAlert(3, { alertId: 'alert-3-again' })];

    queries = 0;
    const stored = await sink.write(withRepeat);
    expect(queries).toBe(1);
    expect(stored.sort()).toEqual(batch.map((a) => a.alertId).sort());
    expect(await count('select count(*) as n from fraud_alerts')).toBe(50);
    expect(await count(`select count(*) as n from fraud_alerts where alert_id = 'alert-3-again'`)).toBe(0);
    // events in (created_at, alert_id) order, one per new alert, and two deliveries each
    const { rows: events } = await listener.query<{ alert_id: string }>(
      'select alert_id from fraud_alert_events order by event_id',
    );
    expect(events.map((e) => e.alert_id)).toEqual(batch.map((a) => a.alertId));
    expect(await count('select count(*) as n from fraud_alert_deliveries')).toBe(100);
    const last = await count('select max(event_id) as n from fraud_alert_events');
    await waitFor(() => notified.includes(String(last)), {
      timeoutMs: 10_000,
      message: 'NOTIFY of the batch',
    });

    // redelivered, with other contents, plus one new alert
    queries = 0;
    const again = await sink.write([...batch.map((a) => ({ ...a, score: 0.01 })), makeAlert(50)]);
    expect(queries).toBe(1);
    expect(again).toEqual(['alert-50']);
    expect(await count('select count(*) as n from fraud_alerts where score = 0.01')).toBe(0);
    expect(await count('select count(*) as n from fraud_alert_events')).toBe(51);
    expect(await count('select count(*) as n from fraud_alert_deliveries')).toBe(102);

    const before = notified.length;
    const none = await sink.write(batch);
    expect(none).toEqual([]);
    expect(await count('select count(*) as n from fraud_alert_events')).toBe(51);
    // a NOTIFY would have arrived before this query's answer on the same connection order; none did
    await listener.query('select 1');
    expect(notified.length).toBe(before);
  });
});

// The console's stream misses no committed change: the real sink and acknowledgements commit
// concurrently, each transaction held open for a random time after it took its change-log ids,
// while SSE clients read /alerts/stream — one from the start, one that drops and resumes with
// Last-Event-ID, one that joins mid-run the way the console does (subscribe, then read the list).
// Each must end with exactly the table: every alert, acknowledged where it is.
import { createPool } from '@streamkit/postgres';
import { createRandom } from '@streamkit/random';
import { type EventStreamClient, holdWritersOf, openEventStream } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../src/alerts/alert-record.ts';
import { MAX_PAGE_SIZE } from '../src/alerts/alert-routes.ts';
import { createAlertSink } from '../src/alerts/alert-sink.ts';
import { createAlertStore } from '../src/alerts/alert-store.ts';
import {
  type AlertsHarness,
  alertsReadHeaders,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

let h: AlertsHarness;
let writers: pg.Pool;

beforeAll(async () => {
  h = await startAlertsHarness();
  writers = createPool(h.database.url, { max: 6 });
  // every transaction that writes the change log stays open a while after taking its ids (usually
  // up to 30 ms, one in 50 for 0.5 s): where a reader could see a later id first
  await holdWritersOf(h.pool, 'fraud_alert_events', { events: 'insert' });
});
afterAll(async () => {
  await writers?.end();
  await h?.close();
});

type View = Map<string, boolean>;

/** Per alert: acknowledged? An alert only goes from open to acknowledged, so either copy saying so wins. */
function keep(view: View, alert: Pick<AlertRecord, 'alertId' | 'acknowledged'>): void {
  view.set(alert.alertId, (view.get(alert.alertId) ?? false) || alert.acknowledged);
}

function streamed(stream: EventStreamClient, view: View = new Map()): View {
  for (const e of stream.events())
    if (e.event === 'alert' || e.event === 'ack') keep(view, JSON.parse(e.data ?? '{}'));
  return view;
}

const sorted = (view: View) => Object.fromEntries([...view].sort(([a], [b]) => a.localeCompare(b)));

/** What the console does: subscribe, and once subscribed, read the whole list. */
async function joinLikeTheConsole(url: string): Promise<{ stream: EventStreamClient; listed: View }> {
  const stream = openEventStream(`${url}/alerts/stream`, { headers: alertsReadHeaders });
  await stream.response;
  const listed: View = new Map();
  let cursor: string | null = null;
  do {
    const response = await fetch(
      `${url}/alerts?limit=${MAX_PAGE_SIZE}${cursor === null ? '' : `&cursor=${cursor}`}`,
      { headers: alertsReadHeaders },
    );
    const page = (await response.json()) as { alerts: AlertRecord[]; nextCursor: string | null };
    for (const alert of page.alerts) keep(listed, alert);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { stream, listed };
}

describe('the alert stream under concurrent commits', () => {
  it('delivers every committed alert and acknowledgement to every client, whatever the commit timing', async () => {
    const random = createRandom('fraud-alert-feed');
    const sink = createAlertSink({ pool: writers, webhookUrls: [] });
    const store = createAlertStore(writers);
    const early = openEventStream(`${h.baseUrl}/alerts/stream`, { headers: alertsReadHeaders });
    let dropping: EventStreamClient | undefined = openEventStream(`${h.baseUrl}/alerts/stream`, {
      headers: alertsReadHeaders,
    });
    await Promise.all([early.response, dropping.response]);

    let next = 0;
    let batches = 0;
    let acks = 0;
    const stored: string[] = [];
    let resumed: { before: View; stream: EventStreamClient } | undefined;
    let joined: Promise<{ stream: EventStreamClient; listed: View }> | undefined;
    const until = Date.now() + 8000;
    // 8 s of commits, and at least the counts asserted below however slow a loaded machine is
    const busy = () => Date.now() < until || batches <= 120 || acks <= 50;

    async function writeAlerts(): Promise<void> {
      while (busy()) {
        const batch = Array.from({ length: random.int(1, 4) }, () => makeAlert(next++));
        stored.push(...(await sink.write(batch)));
        batches++;
        // a third of the way: one client drops and resumes; half-way: one joins as the console does
        if (batches === 40 && dropping !== undefined) {
          const before = streamed(dropping);
          const lastEventId = dropping.events().at(-1)?.id;
          await dropping.close();
          dropping = undefined;
          resumed = {
            before,
            stream: openEventStream(`${h.baseUrl}/alerts/stream`, {
              lastEventId,
              headers: alertsReadHeaders,
            }),
          };
        }
        if (batches === 70) joined = joinLikeTheConsole(h.baseUrl);
      }
    }
    async function acknowledge(): Promise<void> {
      while (busy()) {
        const alertId = stored.length > 0 ? random.pick(stored) : undefined;
        if (alertId === undefined) await sink.write([makeAlert(next++)]).then((ids) => stored.push(...ids));
        else if ((await store.acknowledge(alertId, 'feed-test', undefined)).status === 'acknowledged') acks++;
      }
    }
    await Promise.all([writeAlerts(), writeAlerts(), writeAlerts(), acknowledge(), acknowledge()]);

    const { rows } = await h.pool.query<{ alertId: string; acknowledged: boolean }>(
      `select alert_id as "alertId", acknowledged_at is not null as acknowledged from fraud_alerts`,
    );
    const table: View = new Map();
    for (const row of rows) keep(table, row);
    // hundreds of commits of both kinds, and both mid-run clients did their part
    expect(batches).toBeGreaterThan(100);
    expect(acks).toBeGreaterThan(40);
    expect(resumed).toBeDefined();
    expect(joined).toBeDefined();

    await expect.poll(() => sorted(streamed(early)), { timeout: 10_000 }).toEqual(sorted(table));
    const { before, stream: again } = resumed as { before: View; stream: EventStreamClient };
    await expect
      .poll(() => sorted(streamed(again, new Map(before))), { timeout: 10_000 })
      .toEqual(sorted(table));
    const { stream: joiner, listed } = await (joined as Promise<{ stream: EventStreamClient; listed: View }>);
    await expect
      .poll(() => sorted(streamed(joiner, new Map(listed))), { timeout: 10_000 })
      .toEqual(sorted(table));
    await Promise.all([early.close(), again.close(), joiner.close()]);
  });
});

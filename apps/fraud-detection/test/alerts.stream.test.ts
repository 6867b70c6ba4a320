// GET /alerts/stream: live SSE events, Last-Event-ID resume (from the stream's buffer, and from
// Postgres on a replica that never saw the events), heartbeats, the stream caps, shutdown.
import { openEventStream } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertsHarness,
  alertsReadHeaders,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

let h: AlertsHarness;

beforeAll(async () => {
  h = await startAlertsHarness({
    settings: {
      ALERTS_STREAM_HEARTBEAT_MS: '100',
      ALERTS_MAX_SUBSCRIBERS: '2',
      ALERTS_MAX_SUBSCRIBERS_PER_ADDRESS: '2',
      // the three change-log events of the first test are within it; Last-Event-ID: 0 is not
      ALERTS_STREAM_MAX_REPLAY: '1000',
    },
  });
});

afterAll(async () => {
  await h?.close();
});

const alertIds = (stream: ReturnType<typeof openEventStream>) =>
  stream.events().map((e) => JSON.parse(e.data ?? '{}').alertId);

describe('alert stream', () => {
  let firstId: string | undefined;

  it('pushes new alerts live and resumes after Last-Event-ID with no gap and no duplicate', async () => {
    const first = openEventStream(`${h.baseUrl}/alerts/stream`, { headers: alertsReadHeaders });
    expect((await first.response).headers.get('content-type')).toMatch(/^text\/event-stream/);
    const a = makeAlert(400);
    await h.produce([a]);
    await expect.poll(() => first.events(), { timeout: 20_000 }).toHaveLength(1);
    const [live] = first.events();
    firstId = live?.id;
    expect(live?.event).toBe('alert');
    expect(JSON.parse(live?.data ?? '{}')).toMatchObject({ alertId: a.alertId, acknowledged: false });
    await first.close();
    await expect.poll(() => h.streams.clientCount).toBe(0);

    // while nobody listens: an acknowledgement and a new alert
    expect((await h.acknowledge(a.alertId, 'ana')).statusCode).toBe(200);
    const b = makeAlert(401);
    await h.produce([b]);
    await expect
      .poll(async () => (await h.store.get(b.alertId))?.alertId, { timeout: 20_000 })
      .toBe(b.alertId);

    const resumed = openEventStream(`${h.baseUrl}/alerts/stream`, {
      lastEventId: live?.id,
      headers: alertsReadHeaders,
    });
    await expect.poll(() => resumed.events().length, { timeout: 10_000 }).toBe(2);
    const [acked, next] = resumed.events();
    expect(acked?.event).toBe('ack');
    expect(JSON.parse(acked?.data ?? '{}')).toMatchObject({ alertId: a.alertId, acknowledgedBy: 'ana' });
    expect(next?.event).toBe('alert');
    expect(JSON.parse(next?.data ?? '{}')).toMatchObject({ alertId: b.alertId });
    expect(BigInt(next?.id ?? 0)).toBeGreaterThan(BigInt(acked?.id ?? 0));

    // and it is live again afterwards
    const c = makeAlert(402);
    await h.produce([c]);
    await expect
      .poll(() => alertIds(resumed), { timeout: 20_000 })
      .toEqual([a.alertId, b.alertId, c.alertId]);
    await resumed.close();
  });

  it('replays from Postgres on a replica that started after the events', async () => {
    const replica = await startAlertsHarness({
      shared: { topicPrefix: h.topicPrefix, database: h.database },
    });
    try {
      const resumed = openEventStream(`${replica.baseUrl}/alerts/stream`, {
        lastEventId: firstId,
        headers: alertsReadHeaders,
      });
      await expect
        .poll(() => alertIds(resumed), { timeout: 10_000 })
        .toEqual(['alert-400', 'alert-401', 'alert-402']);
      expect(resumed.events().map((e) => e.event)).toEqual(['ack', 'alert', 'alert']);
      await resumed.close();
    } finally {
      await replica.close();
    }
  });

  it('refuses a stream without a credential, and replays no more than the bound (Last-Event-ID: 0)', async () => {
    const refused = await fetch(`${h.baseUrl}/alerts/stream`, { headers: { 'last-event-id': '0' } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      error: 'unauthorized',
      message: 'send a valid x-api-key header, or the session cookie from POST /session',
    });
    // ids of a fresh database's change log start near 1: move them past the bound
    await h.pool.query(`select setval(pg_get_serial_sequence('fraud_alert_events', 'event_id'), 5000)`);
    await h.produce([makeAlert(403)]);
    await expect
      .poll(async () => (await h.store.get('alert-403'))?.alertId, { timeout: 20_000 })
      .toBe('alert-403');
    // a replica started now has nothing in its buffer: whatever it replays comes from the history
    const replica = await startAlertsHarness({
      shared: { topicPrefix: h.topicPrefix, database: h.database },
      settings: { ALERTS_STREAM_MAX_REPLAY: '1000' },
    });
    try {
      const fromZero = openEventStream(`${replica.baseUrl}/alerts/stream`, {
        lastEventId: '0',
        headers: alertsReadHeaders,
      });
      await expect.poll(() => fromZero.events().length, { timeout: 10_000 }).toBe(1);
      const [reset] = fromZero.events();
      expect(reset?.event).toBe('reset');
      expect(JSON.parse(reset?.data ?? '{}').reason).toBe('Last-Event-ID 0 is further back than 1000 events');
      // within the bound it replays from the history as before
      const recent = openEventStream(`${replica.baseUrl}/alerts/stream`, {
        lastEventId: '4990',
        headers: alertsReadHeaders,
      });
      await expect.poll(() => alertIds(recent), { timeout: 10_000 }).toEqual(['alert-403']);
      await fromZero.close();
      await recent.close();
    } finally {
      await replica.close();
    }
  });

  it('sends heartbeats and caps the open streams with 503 in the common error body', async () => {
    await expect.poll(() => h.streams.clientCount).toBe(0);
    const one = openEventStream(`${h.baseUrl}/alerts/stream`, { headers: alertsReadHeaders });
    const two = openEventStream(`${h.baseUrl}/alerts/stream`, { headers: alertsReadHeaders });
    await expect.poll(() => one.messages.some((m) => m.comment?.startsWith('heartbeat'))).toBe(true);
    await expect.poll(() => two.messages.length).toBeGreaterThan(0);
    expect(h.streams.clientCount).toBe(2);
    const three = await fetch(`${h.baseUrl}/alerts/stream`, { headers: alertsReadHeaders });
    expect(three.status).toBe(503);
    expect(three.headers.get('retry-after')).toBe('5');
    expect(await three.json()).toEqual({ error: 'unavailable', message: 'more than 2 open streams' });
    await one.close();
    await two.close();
    await expect.poll(() => h.streams.clientCount).toBe(0);
  });
});

// GET /alerts/stream: live SSE events, Last-Event-ID resume (from the stream's buffer, and from
// Postgres on a replica that never saw the events), heartbeats, the stream caps, shutdown.
import { openEventStream } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertsHarness,
  alertsTestApiKey,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

let h: AlertsHarness;

beforeAll(async () => {
  h = await startAlertsHarness({
    settings: { ALERTS_STREAM_HEARTBEAT_MS: '100', ALERTS_MAX_SUBSCRIBERS: '2' },
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
    const first = openEventStream(`${h.baseUrl}/alerts/stream`);
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
    const ack = await h.app.inject({
      method: 'POST',
      url: `/alerts/${a.alertId}/ack`,
      headers: { 'x-api-key': alertsTestApiKey },
      payload: { by: 'ana' },
    });
    expect(ack.statusCode).toBe(200);
    const b = makeAlert(401);
    await h.produce([b]);
    await expect
      .poll(async () => (await h.store.get(b.alertId))?.alertId, { timeout: 20_000 })
      .toBe(b.alertId);

    const resumed = openEventStream(`${h.baseUrl}/alerts/stream`, { lastEventId: live?.id });
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
      const resumed = openEventStream(`${replica.baseUrl}/alerts/stream`, { lastEventId: firstId });
      await expect
        .poll(() => alertIds(resumed), { timeout: 10_000 })
        .toEqual(['alert-400', 'alert-401', 'alert-402']);
      expect(resumed.events().map((e) => e.event)).toEqual(['ack', 'alert', 'alert']);
      await resumed.close();
    } finally {
      await replica.close();
    }
  });

  it('sends heartbeats and caps the open streams with 503 in the common error body', async () => {
    await expect.poll(() => h.streams.clientCount).toBe(0);
    const one = openEventStream(`${h.baseUrl}/alerts/stream`);
    const two = openEventStream(`${h.baseUrl}/alerts/stream`);
    await expect.poll(() => one.messages.some((m) => m.comment?.startsWith('heartbeat'))).toBe(true);
    await expect.poll(() => two.messages.length).toBeGreaterThan(0);
    expect(h.streams.clientCount).toBe(2);
    const three = await fetch(`${h.baseUrl}/alerts/stream`);
    expect(three.status).toBe(503);
    expect(three.headers.get('retry-after')).toBe('5');
    expect(await three.json()).toEqual({ error: 'unavailable', message: 'more than 2 open streams' });
    await one.close();
    await two.close();
    await expect.poll(() => h.streams.clientCount).toBe(0);
  });
});

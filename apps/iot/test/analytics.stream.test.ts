// GET /api/stream of the analytics service: a snapshot first, window updates from Postgres and
// alerts, live and replayed after Last-Event-ID, `event: reset` (and a new snapshot) past the
// buffer, the per-address cap, shutdown. That no committed change is missed:
// analytics.live-feed.test.ts.
import { createPool } from '@streamkit/postgres';
import type { IotAlert } from '@streamkit/schemas';
import { type EventStreamClient, openEventStream } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AnalyticsTestEnv, analyticsKeyHeaders, createAnalyticsTestEnv } from './analytics.support.ts';

const infra = inject('infrastructure');
let env: AnalyticsTestEnv;
let pool: pg.Pool;
let url: string;

beforeAll(async () => {
  env = await createAnalyticsTestEnv(infra, 'iot-sse');
  pool = createPool(env.db.url, { max: 2 });
  url = `${env.baseUrl}/api/stream`;
});
afterAll(async () => {
  await pool?.end();
  await env?.close();
});

/** What the processor writes when a window is updated. */
async function upsertWindow(deviceId: string, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO iot_window_aggregates (device_id, window_start, window_end, reading_count, metrics)
     VALUES ($1, '2026-05-01T10:00:00Z', '2026-05-01T10:01:00Z', $2, '{}')
     ON CONFLICT (device_id, window_start) DO UPDATE SET reading_count = $2, updated_at = now()`,
    [deviceId, count],
  );
}

function alert(n: number): IotAlert {
  return {
    alertId: `sse-alert-${n}`,
    deviceId: 'sse-dev',
    ts: '2026-05-01T10:00:30.000Z',
    kind: 'threshold',
    metric: 'temperature',
    value: 95,
    threshold: 90,
    message: 'temperature 95 above 90',
    createdAt: '2026-05-01T10:00:31.000Z',
  };
}

const kinds = (stream: EventStreamClient) => stream.events().map((e) => e.event);

describe('GET /api/stream', () => {
  let lastSeen: string | undefined;

  it('starts with a snapshot, then pushes window updates and alerts while a dashboard is open, each with an id', async () => {
    await upsertWindow('sse-old', 3);
    const stream = openEventStream(url, { headers: analyticsKeyHeaders });
    expect((await stream.response).headers.get('content-type')).toMatch(/^text\/event-stream/);
    await expect.poll(() => kinds(stream)[0]).toBe('snapshot');
    expect(JSON.parse(stream.events('snapshot')[0]?.data ?? '{}').devices).toMatchObject([
      { deviceId: 'sse-old', readingCount: 3, version: expect.any(Number) },
    ]);
    await upsertWindow('sse-dev', 6);
    // every change since the feed started, sse-old's too (a client keeps the higher version)
    const windows = () =>
      stream.events('window').map((e) => {
        const w = JSON.parse(e.data ?? '{}');
        return `${w.deviceId} ${w.readingCount}`;
      });
    await expect.poll(() => windows().sort(), { timeout: 10_000 }).toEqual(['sse-dev 6', 'sse-old 3']);
    env.feed.publishAlert(alert(1)); // what the alerts consumer does with each alert
    await expect.poll(() => stream.events('alert').length).toBe(1);
    lastSeen = stream.events().at(-1)?.id;
    expect(lastSeen).toMatch(/^\d+$/);
    await stream.close();
  });

  it('replays what a dashboard missed after its Last-Event-ID, then goes on live', async () => {
    env.feed.publishAlert(alert(2));
    const resumed = openEventStream(url, { lastEventId: lastSeen, headers: analyticsKeyHeaders });
    await expect
      .poll(() => resumed.events('alert').map((e) => JSON.parse(e.data ?? '{}').alertId))
      .toEqual(['sse-alert-2']);
    await upsertWindow('sse-dev', 7);
    await expect.poll(() => kinds(resumed), { timeout: 10_000 }).toEqual(['alert', 'window']);
    await resumed.close();
  });

  it('sends event: reset and a new snapshot to a dashboard whose id the stream does not know', async () => {
    const stale = openEventStream(url, { lastEventId: '1', headers: analyticsKeyHeaders });
    await expect.poll(() => kinds(stale)).toEqual(['reset', 'snapshot']);
    expect(JSON.parse(stale.events()[0]?.data ?? '{}').reason).toMatch(/older than/);
    const devices = JSON.parse(stale.events('snapshot')[0]?.data ?? '{}').devices;
    expect(devices.map((w: { deviceId: string }) => w.deviceId)).toEqual(['sse-dev', 'sse-old']);
    await stale.close();
  });

  it('answers a 21st stream from one address 429 in the common error body', async () => {
    const open = Array.from({ length: 20 }, () => openEventStream(url, { headers: analyticsKeyHeaders }));
    try {
      await Promise.all(open.map((s) => s.response));
      const refused = await fetch(url, { headers: analyticsKeyHeaders });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({
        error: 'too_many_requests',
        message: 'more than 20 open streams from 127.0.0.1',
      });
    } finally {
      await Promise.all(open.map((s) => s.close()));
    }
  });

  it('answers an unknown route and a bad parameter in the common error body', async () => {
    const unknown = await env.app.inject({ url: '/api/streams', headers: analyticsKeyHeaders });
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no route GET /api/streams' });
    const bad = await env.app.inject({
      url: '/api/live/devices/bad%20id/windows',
      headers: analyticsKeyHeaders,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', fields: [{ field: 'id' }] });
  });
});

describe('shutdown', () => {
  it('ends open streams at once, so stopping is not held up', async () => {
    const other = await createAnalyticsTestEnv(infra, 'iot-sse-stop');
    const stream = openEventStream(`${other.baseUrl}/api/stream`, { headers: analyticsKeyHeaders });
    await stream.response;
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => stream.ended).toBe(true);
  });
});

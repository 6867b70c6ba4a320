// The dashboard service over real Kafka → sink → Postgres: typed view results, refusal of unknown
// names and bad ranges, and the SSE stream pushing new numbers as lines arrive.

import { openEventStream } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VIEW_NAMES } from '../src/views/catalog.ts';
import {
  dashboardKeyHeaders,
  readStream,
  startTestDashboard,
  type TestDashboard,
} from './support/dashboard-harness.ts';
import { logRecords } from './support/log-records.ts';
import { referenceViews } from '../src/views/reference-views.ts';
import { useSinkEnv } from './support/sink-harness.ts';

const env = useSinkEnv('api');
let dashboard: TestDashboard;
const start = Date.UTC(2026, 1, 2, 10, 0, 0);
const first = logRecords({ count: 400, startMs: start, stepMs: 250, idPrefix: 'f.api1' });

beforeAll(async () => {
  dashboard = await startTestDashboard(env(), { DASHBOARD_MAX_SUBSCRIBERS: '2' });
  await env().startSink();
  await env().producer.send(
    env().topics.logs,
    first.map((value) => ({ value })),
  );
  await vi.waitFor(() => expect(env().written.inserted).toBe(first.length), {
    timeout: 60_000,
    interval: 200,
  });
});
afterAll(async () => {
  await dashboard?.close();
});

describe('GET /api/views/:name', () => {
  it('serves each view, typed and oldest window first, equal to the reference', async () => {
    const reference = referenceViews(first);
    for (const name of VIEW_NAMES) {
      const res = await dashboard.app.inject({
        headers: dashboardKeyHeaders,
        url: `/api/views/${name}?limit=1000`,
      });
      expect(res.statusCode, name).toBe(200);
      const body = res.json();
      expect(body.view).toBe(name);
      expect(body.rows.length, name).toBe(reference[name].length);
      for (const row of body.rows) expect(typeof row.window_start).toBe('string');
    }
    const rps = (
      await dashboard.app.inject({
        url: '/api/views/requests_per_10s?limit=1000',
        headers: dashboardKeyHeaders,
      })
    ).json();
    expect(rps.rows).toEqual(reference.requests_per_10s);
  });

  it('limits to the latest windows of a time range', async () => {
    const from = new Date(start + 20_000).toISOString();
    const to = new Date(start + 60_000).toISOString();
    const res = await dashboard.app.inject({
      headers: dashboardKeyHeaders,
      url: `/api/views/requests_per_10s?from=${from}&to=${to}&limit=2`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.map((r: { window_start: string }) => r.window_start)).toEqual([
      new Date(start + 40_000).toISOString(),
      new Date(start + 50_000).toISOString(),
    ]);
  });

  it('refuses unknown view names, SQL in the name, and bad query parameters', async () => {
    const unknown = await dashboard.app.inject({ url: '/api/views/users', headers: dashboardKeyHeaders });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: 'not_found',
      message: `unknown view "users"; known: ${VIEW_NAMES.join(', ')}`,
    });
    const injection = await dashboard.app.inject({
      headers: dashboardKeyHeaders,
      url: `/api/views/${encodeURIComponent('requests_per_second;drop table x')}`,
    });
    expect(injection.statusCode).toBe(404);
    const badLimit = await dashboard.app.inject({
      url: '/api/views/requests_per_second?limit=0',
      headers: dashboardKeyHeaders,
    });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json()).toEqual({
      error: 'bad_request',
      message: 'invalid query string',
      fields: [{ field: 'limit', message: expect.any(String) }],
    });
    const badRange = await dashboard.app.inject({
      headers: dashboardKeyHeaders,
      url: `/api/views/requests_per_second?from=${new Date(start + 1000).toISOString()}&to=${new Date(start).toISOString()}`,
    });
    expect(badRange.statusCode).toBe(400);
    expect(badRange.json().fields).toEqual([{ field: 'to', message: 'must be after from' }]);
    const badStream = await dashboard.app.inject({
      url: '/api/stream?views=nope',
      headers: dashboardKeyHeaders,
    });
    expect(badStream.statusCode).toBe(400);
    expect(badStream.json()).toMatchObject({ error: 'bad_request', fields: [{ field: 'views' }] });
    const noRoute = await dashboard.app.inject({ url: '/api/view', headers: dashboardKeyHeaders });
    expect(noRoute.json()).toEqual({ error: 'not_found', message: 'no route GET /api/view' });
  });

  it('has /health and /metrics', async () => {
    expect((await dashboard.app.inject({ url: '/health', headers: dashboardKeyHeaders })).statusCode).toBe(
      200,
    );
    expect((await dashboard.app.inject({ url: '/metrics', headers: dashboardKeyHeaders })).body).toContain(
      'service="',
    );
  });
});

describe('credentials', () => {
  it('answers every /api route 401 without the key or a page session, and takes a session from POST /session', async () => {
    for (const url of ['/api/views', '/api/views/requests_per_10s', '/api/stream']) {
      const refused = await fetch(`${dashboard.url}${url}`);
      expect(refused.status, url).toBe(401);
      expect(await refused.json()).toEqual({
        error: 'unauthorized',
        message: 'send a valid x-api-key header, or the session cookie from POST /session',
      });
    }
    const session = await fetch(`${dashboard.url}/session`, { method: 'POST' });
    expect(session.status).toBe(201);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const bySession = await fetch(`${dashboard.url}/api/views`, { headers: { cookie } });
    expect(bySession.status).toBe(200);
    // the page and the probes stay open
    for (const url of ['/', '/health']) expect((await fetch(`${dashboard.url}${url}`)).status, url).toBe(200);
  });
});

describe('GET /api/stream', () => {
  it('pushes a snapshot at once, then new numbers when lines arrive', async () => {
    const stream = readStream(`${dashboard.url}/api/stream?views=requests_per_10s,unique_clients_per_minute`);
    try {
      await expect
        .poll(() => stream.events.length, { timeout: 10_000, interval: 50 })
        .toBeGreaterThanOrEqual(1);
      const total = (views: Record<string, unknown[]>) =>
        (views.requests_per_10s as { requests: number }[]).reduce((sum, r) => sum + r.requests, 0);
      expect(Object.keys(stream.events[0]?.views ?? {})).toEqual([
        'requests_per_10s',
        'unique_clients_per_minute',
      ]);
      expect(total(stream.events[0]?.views ?? {})).toBe(first.length);

      const more = logRecords({
        count: 50,
        startMs: start + first.length * 250,
        stepMs: 100,
        idPrefix: 'f.api2',
      });
      await env().producer.send(
        env().topics.logs,
        more.map((value) => ({ value })),
      );
      await expect
        .poll(() => total(stream.events.at(-1)?.views ?? {}), { timeout: 30_000, interval: 100 })
        .toBe(first.length + more.length);
    } finally {
      stream.stop();
    }
  });

  it('caps the open streams (DASHBOARD_MAX_SUBSCRIBERS) with 503 in the common error body', async () => {
    const one = openEventStream(`${dashboard.url}/api/stream`, { headers: dashboardKeyHeaders });
    const two = openEventStream(`${dashboard.url}/api/stream`, { headers: dashboardKeyHeaders });
    try {
      await expect.poll(() => one.events('views').length + two.events('views').length).toBe(2);
      const third = await fetch(`${dashboard.url}/api/stream`, { headers: dashboardKeyHeaders });
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('5');
      expect(await third.json()).toEqual({ error: 'unavailable', message: 'more than 2 open streams' });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('starts a reconnecting page again with the current snapshot (no replay of old ones)', async () => {
    const first = openEventStream(`${dashboard.url}/api/stream?views=requests_per_10s`, {
      headers: dashboardKeyHeaders,
    });
    await expect.poll(() => first.events('views').length).toBe(1);
    const lastId = first.events('views')[0]?.id;
    await first.close();
    const again = openEventStream(`${dashboard.url}/api/stream?views=requests_per_10s`, {
      headers: dashboardKeyHeaders,
      lastEventId: lastId ?? '1',
    });
    try {
      await expect.poll(() => again.events().length).toBe(1);
      expect(again.events()[0]?.event).toBe('views');
      expect(Object.keys(JSON.parse(again.events()[0]?.data ?? '{}').views)).toEqual(['requests_per_10s']);
    } finally {
      await again.close();
    }
  });
});

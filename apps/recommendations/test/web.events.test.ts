// POST /sessions and POST /events against a real broker: what reaches ecommerce.events, and what is refused.
import { startRecordingTracing, type Tracing } from '@streamkit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSession,
  postEvents,
  sampleEvent,
  startWebHarness,
  type WebHarness,
} from './support/web-harness.ts';

let h: WebHarness;
let tracing: Tracing;

beforeAll(async () => {
  // first: the instrumentations that continue the caller's trace run only while spans are recorded
  tracing = startRecordingTracing('recs-web-events-test').tracing;
  h = await startWebHarness({
    WEB_SESSION_EVENTS_PER_MINUTE: '5',
    WEB_MAX_BATCH_SIZE: '10',
    WEB_SESSIONS_PER_ADDRESS_PER_MINUTE: '10',
  });
});

afterAll(async () => {
  await h?.close();
  await tracing?.shutdown();
});

const recordsOf = async (userId: string) =>
  (await h.admin.readTopic(h.topics.events.name)).filter((r) => r.key === userId);

describe('POST /events', () => {
  it('produces one event keyed by userId with the caller trace, and answers 202', async () => {
    const event = sampleEvent({ userId: 'u-trace' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await postEvents(h.app, event, {
      'x-api-key': 'test-events-key-0123456789',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1 });
    const mine = await recordsOf('u-trace');
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]?.value ?? 'null')).toEqual(event);
    expect(mine[0]?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
  });

  it('produces a batch, each event keyed by its own user', async () => {
    const batch = [
      sampleEvent({ userId: 'u-batch-a', type: 'view' }),
      sampleEvent({ userId: 'u-batch-b', type: 'add_to_cart' }),
      sampleEvent({ userId: 'u-batch-a', type: 'purchase' }),
    ];
    const res = await postEvents(h.app, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 3 });
    const a = await recordsOf('u-batch-a');
    expect(a.map((r) => JSON.parse(r.value ?? 'null').type)).toEqual(['view', 'purchase']);
    expect(await recordsOf('u-batch-b')).toHaveLength(1);
  });

  it.each([
    ['an unknown type', { type: 'like' }, 'type'],
    ['a bad timestamp', { ts: 'yesterday' }, 'ts'],
    ['an id with spaces', { productId: 'p 1' }, 'productId'],
    ['an unknown field', { price: 3 }, 'price'],
  ])('rejects %s with 400 naming the field, and produces nothing', async (_what, change, field) => {
    const userId = `u-bad-${field}`;
    const res = await postEvents(h.app, { ...sampleEvent({ userId }), ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [{ field }],
    });
    expect(await recordsOf(userId)).toHaveLength(0);
  });

  it('refuses an event dated beyond the allowed skew into the future (400 naming 0/ts), producing nothing of the batch', async () => {
    const res = await postEvents(h.app, [
      { ...sampleEvent({ userId: 'u-future' }), ts: '2099-01-01T00:00:00.000Z' },
      sampleEvent({ userId: 'u-future' }),
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [
        { field: '0/ts', message: expect.stringMatching(/^must not lie more than 300000 ms in the future/) },
      ],
    });
    expect(await recordsOf('u-future')).toHaveLength(0);
    // a client clock a minute ahead is within the skew
    const ahead = { ...sampleEvent({ userId: 'u-future' }), ts: new Date(Date.now() + 60_000).toISOString() };
    expect((await postEvents(h.app, ahead)).statusCode).toBe(202);
    expect((await recordsOf('u-future')).map((r) => JSON.parse(r.value ?? 'null'))).toEqual([ahead]);
  });

  it('refuses events for products not in the catalog (400 naming each), producing nothing: no state downstream', async () => {
    const one = await postEvents(h.app, sampleEvent({ userId: 'u-unknown', productId: 'p-invented' }));
    expect(one.statusCode).toBe(400);
    expect(one.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [{ field: 'productId', message: 'p-invented is not in the catalog' }],
    });
    const batch = await postEvents(h.app, [
      sampleEvent({ userId: 'u-unknown' }),
      sampleEvent({ userId: 'u-unknown', productId: 'p-999999' }),
      sampleEvent({ userId: 'u-unknown', productId: 'p-invented' }),
    ]);
    expect(batch.statusCode).toBe(400);
    expect(batch.json().fields).toEqual([
      { field: '1/productId', message: 'p-999999 is not in the catalog' },
      { field: '2/productId', message: 'p-invented is not in the catalog' },
    ]);
    // a storefront session is held to the same catalog
    const { sessionId, headers } = await openSession(h.app, 'u-unknown-s');
    const bySession = await postEvents(
      h.app,
      sampleEvent({ userId: 'u-unknown-s', sessionId, productId: 'p-invented' }),
      headers,
    );
    expect(bySession.statusCode).toBe(400);
    // nothing of them reached the topic (the accepted events of other tests did, read in one go)
    expect(await recordsOf('u-unknown')).toEqual([]);
    expect(await recordsOf('u-unknown-s')).toEqual([]);
  });

  it('rejects a whole batch when one event is bad, naming it by position', async () => {
    const res = await postEvents(h.app, [
      sampleEvent({ userId: 'u-mixed' }),
      { ...sampleEvent({ userId: 'u-mixed' }), userId: undefined },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([{ field: '1/userId', message: expect.any(String) }]);
    expect(await recordsOf('u-mixed')).toHaveLength(0);
  });

  it('bounds batches (400) and bodies (413), and wants JSON (400 / 415)', async () => {
    const tooMany = await postEvents(
      h.app,
      Array.from({ length: 11 }, () => sampleEvent()),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().fields[0].message).toContain('at most 10');
    const empty = await postEvents(h.app, []);
    expect(empty.statusCode).toBe(400);
    const huge = await postEvents(h.app, JSON.stringify({ ...sampleEvent(), pad: 'x'.repeat(70_000) }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('payload_too_large');
    const broken = await postEvents(h.app, '{"eventId": ');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'bad_request', fields: [{ field: '' }] });
    const text = await postEvents(h.app, 'type=view', {
      'x-api-key': 'test-events-key-0123456789',
      'content-type': 'text/plain',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({ error: 'unsupported_media_type', message: 'send application/json' });
  });
});

describe('storefront sessions', () => {
  it('refuses events without a session token, with a forged one or a wrong key (401, one body)', async () => {
    const { headers } = await openSession(h.app, 'u-forge');
    const forged = `${headers['x-session-token'].slice(0, -3)}abc`;
    for (const credentials of [{}, { 'x-session-token': forged }, { 'x-api-key': 'wrong-key-0123456789' }]) {
      const refused = await postEvents(h.app, sampleEvent(), credentials as Record<string, string>);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({
        error: 'unauthorized',
        message: 'send x-session-token from POST /sessions (or x-api-key for trusted senders)',
      });
    }
  });

  it("accepts the session's own events and refuses another user's (403)", async () => {
    const { sessionId, headers } = await openSession(h.app, 'u-session');
    const own = await postEvents(h.app, sampleEvent({ userId: 'u-session', sessionId }), headers);
    expect(own.statusCode).toBe(202);
    const other = await postEvents(h.app, sampleEvent({ userId: 'u-victim', sessionId }), headers);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({
      error: 'forbidden',
      message: "event 0 is not of this session's user and session",
    });
    expect(await recordsOf('u-victim')).toHaveLength(0);
  });

  it('rate-limits a session (429 + Retry-After) without affecting other sessions', async () => {
    const a = await openSession(h.app, 'u-busy');
    const events = Array.from({ length: 5 }, () => sampleEvent({ userId: 'u-busy', sessionId: a.sessionId }));
    expect((await postEvents(h.app, events, a.headers)).statusCode).toBe(202);
    const over = await postEvents(
      h.app,
      sampleEvent({ userId: 'u-busy', sessionId: a.sessionId }),
      a.headers,
    );
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({
      error: 'too_many_requests',
      message: 'this session posts too many events',
    });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const b = await openSession(h.app, 'u-busy');
    const fresh = await postEvents(
      h.app,
      sampleEvent({ userId: 'u-busy', sessionId: b.sessionId }),
      b.headers,
    );
    expect(fresh.statusCode).toBe(202);
  });

  it('validates the session request', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/sessions', payload: { userId: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].field).toBe('userId');
  });

  // last of the sessions: it uses up this address's allowance for the minute
  it('issues sessions at a bounded rate per client address (429 + Retry-After)', async () => {
    // 10 a minute: 21 at once span at most two minute windows, so one at least is refused
    const answers = await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        h.app.inject({ method: 'POST', url: '/sessions', payload: { userId: `u-flood-${i}` } }),
      ),
    );
    const refused = answers.filter((a) => a.statusCode === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(Number(refused[0]?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused[0]?.json()).toEqual({
      error: 'too_many_requests',
      message: 'too many sessions from 127.0.0.1; wait',
    });
  });
});

describe('observability', () => {
  it('serves /health and counts accepted and invalid events in /metrics', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().checks.postgres.status).toBe('ok');
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    const topic = h.topics.events.name;
    expect(metrics.body).toMatch(new RegExp(`streamkit_events_in_total\\{topic="${topic}"[^}]*\\} [1-9]`));
    expect(metrics.body).toMatch(
      new RegExp(`streamkit_events_failed_total\\{topic="${topic}",reason="invalid"[^}]*\\} [1-9]`),
    );
  });
});

// POST /payments against a real broker and Redis: what gets onto the payments topic, and what is refused.
import { startRecordingTracing, type Tracing } from '@streamkit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayHarness,
  postPayment,
  samplePayment,
  startGatewayHarness,
} from './support/gateway-harness.ts';

let h: GatewayHarness;
let tracing: Tracing;

beforeAll(async () => {
  // first: the instrumentations that continue the caller's trace run only while spans are recorded
  tracing = startRecordingTracing('gateway-ingest-test').tracing;
  h = await startGatewayHarness();
});

afterAll(async () => {
  await h?.close();
  await tracing?.shutdown();
});

describe('POST /payments', () => {
  it('accepts a valid payment and produces it keyed by cardId with the caller trace', async () => {
    const payment = samplePayment({ ip: '203.0.113.7', deviceId: 'dev-1' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await postPayment(h.app, payment, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ paymentId: payment.paymentId, status: 'accepted' });

    const records = await h.admin.readTopic(h.topics.payments.name);
    const mine = records.filter((r) => r.key === payment.cardId);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]?.value ?? 'null')).toEqual(payment);
    expect(mine[0]?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
  });

  it('answers a repeat with the same body 202 again without a second event, and a different body 409', async () => {
    const payment = samplePayment({ cardId: 'card-idem' });
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    // same content, keys in another order
    const reordered = Object.fromEntries(Object.entries(payment).reverse());
    const repeat = await postPayment(h.app, reordered);
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json()).toEqual({ paymentId: payment.paymentId, status: 'accepted' });

    const conflicting = await postPayment(h.app, { ...payment, amount: payment.amount + 1 });
    expect(conflicting.statusCode).toBe(409);
    expect(conflicting.json()).toEqual({
      error: 'conflict',
      message: `paymentId ${payment.paymentId} was already used for a payment with different content`,
    });

    const records = await h.admin.readTopic(h.topics.payments.name);
    expect(records.filter((r) => r.key === 'card-idem')).toHaveLength(1);
  });

  it.each([
    ['a negative amount', { amount: -5 }, [{ field: 'amount', message: expect.stringContaining('1') }]],
    ['an unknown currency', { currency: 'XXQ' }, [{ field: 'currency', message: expect.any(String) }]],
    ['a bad MCC', { mcc: '54a1' }, [{ field: 'mcc', message: expect.stringContaining('merchant category') }]],
    [
      'a non-ISO timestamp',
      { ts: 'yesterday' },
      [{ field: 'ts', message: expect.stringContaining('ISO-8601') }],
    ],
    ['an unknown field', { extra: 1 }, [{ field: 'extra', message: 'is not allowed' }]],
  ])('rejects %s with 400 naming the field', async (_what, change, fields) => {
    const res = await postPayment(h.app, { ...samplePayment(), ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', message: 'invalid request body', fields });
  });

  it('names every missing field and every bad one at once', async () => {
    const { cardId: _c, country: _k, ...rest } = samplePayment();
    const res = await postPayment(h.app, { ...rest, amount: 'ten' });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['amount', 'cardId', 'country']);
  });

  it('rejects a body that is not JSON with 400, and another media type with 415', async () => {
    const broken = await postPayment(h.app, '{"paymentId": ');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [{ field: '', message: 'must be a JSON document' }],
    });
    const text = await postPayment(h.app, 'amount=1', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({ error: 'unsupported_media_type', message: 'send application/json' });
  });

  it('requires the API key: 401 without it and with a wrong one, in one body', async () => {
    const payment = samplePayment();
    const unauthorized = { error: 'unauthorized', message: 'send a valid x-api-key header' };
    const missing = await h.app.inject({ method: 'POST', url: '/payments', payload: payment });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual(unauthorized);
    const wrong = await postPayment(h.app, payment, { 'x-api-key': 'not-the-key' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unauthorized);
    const get = await h.app.inject({ method: 'GET', url: `/payments/${payment.paymentId}` });
    expect(get.statusCode).toBe(401);
    expect(get.json()).toEqual(unauthorized);
  });

  it('refuses a payment dated beyond the allowed skew into the future with 400 naming ts, producing nothing', async () => {
    const future = samplePayment({ cardId: 'card-future', ts: '2099-01-01T00:00:00.000Z' });
    const res = await postPayment(h.app, future);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [
        { field: 'ts', message: expect.stringMatching(/^must not lie more than 300000 ms in the future/) },
      ],
    });
    // within the skew (a client clock a minute ahead) is accepted
    const ahead = samplePayment({ cardId: 'card-future', ts: new Date(Date.now() + 60_000).toISOString() });
    expect((await postPayment(h.app, ahead)).statusCode).toBe(202);
    const records = await h.admin.readTopic(h.topics.payments.name);
    expect(records.filter((r) => r.key === 'card-future').map((r) => JSON.parse(r.value ?? 'null'))).toEqual([
      ahead,
    ]);
  });

  it('answers an unknown route 404 in the common body', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/payment' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route POST /payment' });
  });

  it('rejects a body over the limit with 413 JSON', async () => {
    const huge = JSON.stringify({ ...samplePayment(), padding: 'x'.repeat(20_000) });
    const res = await postPayment(h.app, huge);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload_too_large', message: expect.stringContaining('too large') });
  });

  it('keeps /health and /metrics open, and counts accepted and invalid payments', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().checks.redis.status).toBe('ok');
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    const topic = h.topics.payments.name;
    expect(metrics.body).toMatch(new RegExp(`streamkit_events_in_total\\{topic="${topic}"[^}]*\\} [1-9]`));
    expect(metrics.body).toMatch(
      new RegExp(`streamkit_events_failed_total\\{topic="${topic}",reason="invalid"[^}]*\\} [1-9]`),
    );
  });
});

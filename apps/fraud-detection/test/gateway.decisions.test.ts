// GET /payments/:paymentId: unknown (404) → pending (202) → decided (200), and long-polling woken by the detector's announcement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decisionFor,
  type GatewayHarness,
  postPayment,
  samplePayment,
  startGatewayHarness,
  testApiKey,
} from './support/gateway-harness.ts';

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});

afterAll(async () => {
  await h?.close();
});

function getPayment(paymentId: string, query = '') {
  return h.app.inject({
    method: 'GET',
    url: `/payments/${paymentId}${query}`,
    headers: { 'x-api-key': testApiKey },
  });
}

describe('GET /payments/:paymentId', () => {
  it('answers 404 in the common body for a payment never posted', async () => {
    const res = await getPayment('never-posted-1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'not_found',
      message: 'no payment never-posted-1 was accepted here',
    });
  });

  it('answers 202 pending once accepted, then 200 with the decision, also for a repeated POST', async () => {
    const payment = samplePayment();
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    const pending = await getPayment(payment.paymentId);
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toEqual({ paymentId: payment.paymentId, status: 'pending' });

    const decision = decisionFor(payment, { decision: 'review', score: 0.71, reasons: ['velocity burst'] });
    await h.decide(decision);
    const decided = await getPayment(payment.paymentId);
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toEqual({ paymentId: payment.paymentId, status: 'decided', decision });

    // a client retrying its POST after the decision gets 202 again and the same decision
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    expect((await getPayment(payment.paymentId)).json().decision).toEqual(decision);
  });

  it('long-polls: answers as soon as the detector announces the decision', async () => {
    const payment = samplePayment();
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    const waiting = getPayment(payment.paymentId, '?waitMs=30000');
    await expect.poll(() => h.waiters.size, { timeout: 10_000 }).toBe(1);

    const decision = decisionFor(payment, { decision: 'decline', score: 0.97, reasons: ['card testing'] });
    // only announced, never stored: the waiter must be woken by the announcement, not by a Redis re-read
    await h.decide(decision, 'announce-only');
    const res = await waiting;
    expect(res.statusCode).toBe(200);
    expect(res.json().decision).toEqual(decision);
    expect(h.waiters.size).toBe(0);
  });

  it('long-polls across a lost subscriber connection: after the reconnect the stored decision is looked up', async () => {
    const payment = samplePayment();
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    const waiting = getPayment(payment.paymentId, '?waitMs=30000');
    await expect.poll(() => h.waiters.size, { timeout: 10_000 }).toBe(1);

    // stored while the announcement is lost: the subscriber connection is cut right after
    const decision = decisionFor(payment, { decision: 'approve', score: 0.02, reasons: [] });
    await h.redis.set(h.keys.decision(payment.paymentId), JSON.stringify(decision), 'EX', 600);
    const name = `${h.keys.decisionsChannel()}-subscriber`;
    const clients = (await h.redis.client('LIST')) as string;
    const id = /(?:^|\s)id=(\d+)\s/.exec(
      clients.split('\n').find((line) => line.includes(` name=${name} `)) ?? '',
    )?.[1];
    expect(id, `a client named ${name}`).toBeDefined();
    await h.redis.client('KILL', 'ID', id as string);

    const res = await waiting;
    expect(res.statusCode).toBe(200);
    expect(res.json().decision).toEqual(decision);
  });

  it('long-polls until the deadline and then answers pending', async () => {
    const payment = samplePayment();
    expect((await postPayment(h.app, payment)).statusCode).toBe(202);
    const res = await getPayment(payment.paymentId, '?waitMs=200');
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('pending');
    expect(h.waiters.size).toBe(0);
  });

  it('rejects a wait above the limit and a malformed one with 400 naming waitMs', async () => {
    for (const query of ['?waitMs=999999', '?waitMs=soon']) {
      const res = await getPayment('any-payment', query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({
        error: 'bad_request',
        message: 'invalid query string',
        fields: [{ field: 'waitMs', message: expect.any(String) }],
      });
    }
  });
});

describe('POST /payments?waitMs= (the decision in the answer)', () => {
  function postWaiting(payment: ReturnType<typeof samplePayment>, waitMs: number | string) {
    return h.app.inject({
      method: 'POST',
      url: `/payments?waitMs=${waitMs}`,
      headers: { 'x-api-key': testApiKey },
      payload: payment,
    });
  }

  it('answers 200 with the decision as soon as the detector announces it, and a repeated POST gets the same one', async () => {
    const payment = samplePayment();
    const answering = postWaiting(payment, 30_000);
    await expect.poll(() => h.waiters.size, { timeout: 10_000 }).toBe(1);
    const decision = decisionFor(payment, { decision: 'review', score: 0.64, reasons: ['new country'] });
    await h.decide(decision);
    const res = await answering;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ paymentId: payment.paymentId, status: 'decided', decision });
    expect(h.waiters.size).toBe(0);

    // the retry of a client that lost the answer: the stored decision, at once
    const again = await postWaiting(payment, 30_000);
    expect(again.statusCode).toBe(200);
    expect(again.json().decision).toEqual(decision);
  });

  it('answers 202 accepted at the deadline: the payment stays accepted and a GET long-poll finds its decision', async () => {
    const payment = samplePayment();
    const res = await postWaiting(payment, 200);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ paymentId: payment.paymentId, status: 'accepted' });
    expect(h.waiters.size).toBe(0);
    const decision = decisionFor(payment, { decision: 'approve', score: 0.01, reasons: [] });
    await h.decide(decision);
    expect((await getPayment(payment.paymentId)).json().decision).toEqual(decision);
  });

  it('rejects a wait above the limit with 400 naming waitMs, and accepts nothing', async () => {
    const payment = samplePayment();
    const res = await postWaiting(payment, 999_999);
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([{ field: 'waitMs', message: expect.any(String) }]);
    expect((await getPayment(payment.paymentId)).statusCode).toBe(404);
  });
});

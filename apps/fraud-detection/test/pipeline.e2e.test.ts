// The whole pipeline in one process: gateway → Kafka → detector → Kafka → alerts, on real Kafka,
// Redis and Postgres with topics, keys and a database of this file's own.

import type { Payment, PaymentDecision } from '@streamkit/schemas';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, cardTesting, committedDecisions, payment } from './detector.harness.ts';
import { alertsReadHeaders } from './support/alerts-harness.ts';
import { type FraudPipeline, startFraudPipeline } from './support/fraud-pipeline.ts';
import { postPayment, testApiKey } from './support/gateway-harness.ts';

let pipeline: FraudPipeline;
let gateway: FastifyInstance;
let alerts: FastifyInstance;

beforeAll(async () => {
  pipeline = await startFraudPipeline('e2e');
  gateway = pipeline.gateway.app;
  alerts = pipeline.alerts.app;
});

afterAll(async () => {
  await pipeline?.close();
});

// Event time only moves forward through this file: each case gets its own later hours, so no
// payment is ever behind the detector's watermark.
let hour = 0;
function timeline(): (minutes: number) => string {
  const base = hour++ * 3 * 3_600_000;
  return (minutes) => at(base + minutes * 60_000);
}

async function postAll(payments: readonly Payment[]): Promise<void> {
  // one at a time: a card's payments reach its partition in event-time order
  for (const p of payments) expect((await postPayment(gateway, p)).statusCode, p.paymentId).toBe(202);
}

async function decisionOf(paymentId: string): Promise<PaymentDecision> {
  const res = await gateway.inject({
    method: 'GET',
    url: `/payments/${paymentId}?waitMs=30000`,
    headers: { 'x-api-key': testApiKey },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().decision as PaymentDecision;
}

interface ListedAlert {
  paymentId: string;
  decision: string;
  reasons: string[];
  ruleIds: string[];
}

async function alertsOfCard(cardId: string, expected: number): Promise<ListedAlert[]> {
  const list = async () => {
    const res = await alerts.inject({
      method: 'GET',
      url: `/alerts?cardId=${cardId}`,
      headers: alertsReadHeaders,
    });
    expect(res.statusCode).toBe(200);
    return res.json().alerts as ListedAlert[];
  };
  await expect.poll(async () => (await list()).length, { timeout: 30_000 }).toBe(expected);
  return list();
}

describe('fraud pipeline end to end', () => {
  it('approves a normal payment, answered through the gateway long-poll', async () => {
    const t = timeline();
    const first = payment({ paymentId: 'e2e-ok-1', cardId: 'e2e-ok', ts: t(0) });
    const second = payment({ paymentId: 'e2e-ok-2', cardId: 'e2e-ok', ts: t(30), amount: 3_100 });
    await postAll([first, second]);
    const decision = await decisionOf(second.paymentId);
    expect(decision).toMatchObject({
      paymentId: second.paymentId,
      decision: 'approve',
      paymentTs: second.ts,
    });
    expect(decision.ruleIds).toEqual([]);
  });

  it('a 503 means "outcome unknown": the retry with the same paymentId yields exactly one decision', async () => {
    const t = timeline();
    const p = payment({ paymentId: 'e2e-503-1', cardId: 'e2e-503', ts: t(0) });
    // what a 503 can hide: the event reached Kafka, the ack did not reach the gateway in time, so
    // the claim was released (accept-payment.ts) and the client saw 503
    await postAll([p]);
    await pipeline.env.redis.del(pipeline.env.keys.payment(p.paymentId));
    // the client retries with the same paymentId, as the API docs ask: accepted, a second event
    await postAll([p]);
    const decision = await decisionOf(p.paymentId);
    expect(decision).toMatchObject({ paymentId: p.paymentId, decision: 'approve' });
    // a later payment on the same card proves the detector read past both events
    const later = payment({ paymentId: 'e2e-503-2', cardId: 'e2e-503', ts: t(10) });
    await postAll([later]);
    await decisionOf(later.paymentId);
    await expect
      .poll(
        async () =>
          (await committedDecisions(pipeline.env)).filter((d) => d.paymentId === later.paymentId).length,
        {
          timeout: 30_000,
        },
      )
      .toBe(1);
    const decided = (await committedDecisions(pipeline.env)).filter((d) => d.paymentId === p.paymentId);
    expect(decided).toHaveLength(1);
  });

  it('declines the cash-out after card testing and lists the alert with the pattern as its reason', async () => {
    const t = timeline();
    const { probes, cashOut } = cardTesting('e2e-ct', 'e2e-ct', {
      probeTs: (i) => t(i * 0.6),
      cashOutTs: t(4),
    });
    await postAll([...probes, cashOut]);
    const decision = await decisionOf(cashOut.paymentId);
    expect(decision.decision).toBe('decline');
    expect(decision.ruleIds).toContain('R-CARD-TESTING');

    const flagged = (await Promise.all(probes.map((p) => decisionOf(p.paymentId)))).filter(
      (d) => d.decision !== 'approve',
    );
    const listed = await alertsOfCard('e2e-ct', flagged.length + 1);
    const alert = listed.find((a) => a.paymentId === cashOut.paymentId);
    expect(alert).toMatchObject({
      decision: 'decline',
      ruleIds: decision.ruleIds,
      reasons: decision.reasons,
    });
    expect(alert?.reasons.join('\n')).toMatch(/card testing: \d+ payments/);
  });

  it('holds impossible travel for review, naming both countries', async () => {
    const t = timeline();
    const trip = [
      payment({ paymentId: 'e2e-it-0', cardId: 'e2e-it', country: 'DE', ts: t(0) }),
      payment({ paymentId: 'e2e-it-1', cardId: 'e2e-it', country: 'DE', ts: t(10) }),
      payment({ paymentId: 'e2e-it-2', cardId: 'e2e-it', country: 'AU', ts: t(40) }),
    ];
    await postAll(trip);
    const far = await decisionOf('e2e-it-2');
    expect(far.decision).toBe('review');
    expect(far.ruleIds).toContain('R-IMPOSSIBLE-TRAVEL');
    const [alert] = await alertsOfCard('e2e-it', 1);
    expect(alert).toMatchObject({ paymentId: 'e2e-it-2', decision: 'review' });
    expect(alert?.reasons.join('\n')).toMatch(/impossible travel: DE → AU/);
  });

  it('flags a velocity burst: four payments within a minute', async () => {
    const t = timeline();
    const burst = [2_450, 3_900, 1_750, 2_800].map((amount, i) =>
      payment({
        paymentId: `e2e-vb-${i}`,
        cardId: 'e2e-vb',
        merchantId: `m-shop-${i}`,
        amount,
        ts: t(i * 0.25),
      }),
    );
    await postAll(burst);
    const last = await decisionOf('e2e-vb-3');
    expect(last.decision).not.toBe('approve');
    expect(last.ruleIds).toContain('R-VELOCITY-BURST');
    const listed = await alertsOfCard('e2e-vb', 1);
    expect(listed[0]).toMatchObject({ paymentId: 'e2e-vb-3', ruleIds: last.ruleIds });
    expect(listed[0]?.reasons.join('\n')).toMatch(/velocity burst: 4 payments/);
  });

  it('flags the first payment at a high-risk merchant category from a new device', async () => {
    const t = timeline();
    const history = [1_800, 3_200, 2_500, 2_100].map((amount, i) =>
      payment({ paymentId: `e2e-hr-${i}`, cardId: 'e2e-hr', amount, ts: t(i * 30) }),
    );
    const casino = payment({
      paymentId: 'e2e-hr-casino',
      cardId: 'e2e-hr',
      merchantId: 'm-casino',
      mcc: '7995',
      amount: 30_000,
      deviceId: 'dev-unseen',
      ts: t(150),
    });
    await postAll([...history, casino]);
    const decision = await decisionOf(casino.paymentId);
    expect(decision.decision).not.toBe('approve');
    expect(decision.ruleIds).toContain('R-HIGH-RISK-MCC-FIRST-USE');
    const listed = await alertsOfCard('e2e-hr', 1);
    expect(listed[0]).toMatchObject({ paymentId: casino.paymentId, ruleIds: decision.ruleIds });
    expect(listed[0]?.reasons).toContain('first payment at high-risk MCC 7995');
  });
});

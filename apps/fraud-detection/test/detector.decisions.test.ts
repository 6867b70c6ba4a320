import { type OutgoingMessage, withTraceHeaders } from '@streamkit/kafka';
import { compileValidator, defineTopic, type Payment } from '@streamkit/schemas';
import type { Registry } from 'prom-client';
import Type from 'typebox';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertIdFor } from '../src/detector/alert.ts';
import { decodeCardState } from '../src/domain/card-state-codec.ts';
import {
  at,
  cardTesting,
  type Collected,
  type FraudAlert,
  type PaymentDecision,
  payment,
  useDetectorEnv,
} from './detector.harness.ts';

const env = useDetectorEnv('det-decisions');
let decisions: Collected<PaymentDecision>;
let alerts: Collected<FraudAlert>;
let registry: Registry;

beforeAll(async () => {
  ({ registry } = await env().startDetector());
  decisions = await env().collect(env().topics.decisions);
  alerts = await env().collect(env().topics.alerts);
});

async function send(payments: readonly Payment[]): Promise<void> {
  await env().producer.send(
    env().topics.payments,
    payments.map((value): OutgoingMessage<Payment> => ({ value })),
  );
}

/** Waits until every payment has a decision, then returns them by paymentId. */
async function decided(payments: readonly Payment[]): Promise<Map<string, PaymentDecision>> {
  const ids = new Set(payments.map((p) => p.paymentId));
  await expect
    .poll(() => new Set(decisions.values.filter((d) => ids.has(d.paymentId)).map((d) => d.paymentId)).size, {
      timeout: 60_000,
    })
    .toBe(ids.size);
  return new Map(decisions.values.filter((d) => ids.has(d.paymentId)).map((d) => [d.paymentId, d]));
}

async function alertsFor(paymentIds: readonly string[], expected: number): Promise<Map<string, FraudAlert>> {
  const ids = new Set(paymentIds);
  await expect
    .poll(() => alerts.values.filter((a) => ids.has(a.paymentId)).length, { timeout: 30_000 })
    .toBe(expected);
  return new Map(alerts.values.filter((a) => ids.has(a.paymentId)).map((a) => [a.paymentId, a]));
}

describe('detector decisions', () => {
  it('decides every payment exactly once (read_committed) and alerts on review/decline only', async () => {
    const payments: Payment[] = [];
    for (let card = 0; card < 6; card++) {
      for (let i = 0; i < 5; i++) {
        payments.push(
          payment({
            paymentId: `ok-${card}-${i}`,
            cardId: `ok-card-${card}`,
            ts: at(i * 120_000),
            // one card pays in a sanctioned country: R-EMBARGOED-COUNTRY holds it for review
            country: card === 5 ? 'IR' : 'DE',
          }),
        );
      }
    }
    await send(payments);
    const byId = await decided(payments);

    const flagged = [...byId.values()].filter((d) => d.decision !== 'approve');
    expect(flagged.map((d) => d.paymentId).sort()).toEqual(
      payments
        .filter((p) => p.country === 'IR')
        .map((p) => p.paymentId)
        .sort(),
    );
    for (const d of flagged) {
      expect(d.decision).toBe('review');
      expect(d.ruleIds).toContain('R-EMBARGOED-COUNTRY');
    }
    for (const p of payments.filter((x) => x.country === 'DE')) {
      expect(byId.get(p.paymentId)).toMatchObject({
        decision: 'approve',
        modelVersion: 'none',
        paymentTs: p.ts,
      });
    }

    const alertsById = await alertsFor(
      payments.map((p) => p.paymentId),
      flagged.length,
    );
    for (const d of flagged) {
      expect(alertsById.get(d.paymentId)).toMatchObject({
        alertId: alertIdFor(d.paymentId),
        decision: d.decision,
        reasons: d.reasons,
        ruleIds: d.ruleIds,
        createdAt: d.decidedAt,
        country: 'IR',
      });
    }

    // exactly once: what a read_committed reader finds from the beginning, one record per payment
    const committed = (await env().admin.readTopic(env().topics.decisions.name))
      .map((r) => (JSON.parse(r.value ?? '{}') as PaymentDecision).paymentId)
      .filter((id) => byId.has(id));
    expect(committed.sort()).toEqual([...byId.keys()].sort());
  });

  it('declines the cash-out after card testing, with the pattern as the reason', async () => {
    const { probes, cashOut } = cardTesting('ct', 'ct-card', {
      probeTs: (i) => at(i * 40_000),
      cashOutTs: at(4 * 60_000),
    });
    await send([...probes, cashOut]);
    const byId = await decided([...probes, cashOut]);

    const decision = byId.get(cashOut.paymentId);
    expect(decision?.decision).toBe('decline');
    expect(decision?.ruleIds).toContain('R-CARD-TESTING');
    expect(decision?.reasons.join('\n')).toMatch(/card testing: 5 payments ≤ .*2\.00.* then .*950\.00/);
    // the first two probes are not a series yet
    expect(byId.get('ct-probe-0')?.decision).toBe('approve');
    expect(byId.get('ct-probe-1')?.decision).toBe('approve');

    const flagged = [...byId.values()].filter((d) => d.decision !== 'approve');
    const alertsById = await alertsFor([...byId.keys()], flagged.length);
    expect(alertsById.get(cashOut.paymentId)).toMatchObject({
      decision: 'decline',
      amount: 95_000,
      reasons: decision?.reasons,
    });
  });

  it('holds impossible travel for review, naming both countries', async () => {
    const trip = [
      payment({ paymentId: 'it-0', cardId: 'it-card', country: 'DE', ts: at(0) }),
      payment({ paymentId: 'it-1', cardId: 'it-card', country: 'DE', ts: at(10 * 60_000) }),
      payment({ paymentId: 'it-2', cardId: 'it-card', country: 'AU', ts: at(40 * 60_000) }),
    ];
    await send(trip);
    const byId = await decided(trip);
    expect(byId.get('it-0')?.decision).toBe('approve');
    expect(byId.get('it-1')?.decision).toBe('approve');
    const far = byId.get('it-2');
    expect(far?.decision).toBe('review');
    expect(far?.ruleIds).toContain('R-IMPOSSIBLE-TRAVEL');
    expect(far?.reasons.join('\n')).toMatch(/impossible travel: DE → AU/);
    const alertsById = await alertsFor(['it-0', 'it-1', 'it-2'], 1);
    expect(alertsById.get('it-2')).toMatchObject({ decision: 'review', country: 'AU' });
  });

  it('sends an invalid payment to the DLQ with the failing field, and goes on', async () => {
    // a topic definition that lets anything through: the test plays a broken producer
    const anything = compileValidator('Anything', Type.Unknown());
    const raw = defineTopic(env().topics.payments.name, anything, () => 'bad-card');
    await env().producer.send(raw, [
      { value: { paymentId: 'bad-1', cardId: 'bad-card', amount: -5 }, headers: withTraceHeaders({}) },
    ]);
    const after = payment({ paymentId: 'after-bad', cardId: 'bad-card', ts: at(0) });
    await send([after]);

    const dlq = `${env().topics.payments.name}.dlq`;
    await expect
      .poll(async () => (await env().admin.readTopic(dlq)).length, { timeout: 30_000, interval: 500 })
      .toBe(1);
    const [record] = await env().admin.readTopic(dlq);
    expect(JSON.parse(record?.value ?? '{}')).toMatchObject({ paymentId: 'bad-1' });
    expect(record?.headers['x-dlq-error-kind']).toBe('invalid');
    expect(record?.headers['x-dlq-reason']).toMatch(/amount/);
    const byId = await decided([after]);
    expect(byId.get('after-bad')?.decision).toBe('approve');
    expect(decisions.values.some((d) => d.paymentId === 'bad-1')).toBe(false);
  });

  it('starts a card afresh when its stored state is unreadable, and counts it', async () => {
    await env().redis.set(env().keys.card('corrupt-card'), '{"version": 99, "not": "a card state"}');
    const p = payment({ paymentId: 'after-corrupt', cardId: 'corrupt-card', ts: at(0) });
    await send([p]);
    expect((await decided([p])).get('after-corrupt')?.decision).toBe('approve');
    expect(await registry.getSingleMetricAsString('fraud_detector_corrupt_state_total')).toMatch(/ 1$/m);
    const state = decodeCardState(
      JSON.parse((await env().redis.get(env().keys.card('corrupt-card'))) ?? '{}'),
    );
    expect(state).toMatchObject({ version: 1, paymentCount: 1 });
  });
});

// A payment dated 2099 reaching the payments topic (not through the gateway): the detector
// dead-letters it with the reason, and its card's velocity windows, decisions and stored state are
// those of a twin card that never saw it.
import { dlqHeaders } from '@streamkit/kafka';
import { waitFor } from '@streamkit/testkit';
import { describe, expect, it } from 'vitest';
import { at, type PaymentDecision, payment, useDetectorEnv } from './detector.harness.ts';

const env = useDetectorEnv('det-future');

/** A burst of small payments a minute apart: enough for the velocity rules to see it. */
function burst(cardId: string) {
  return Array.from({ length: 12 }, (_, i) =>
    payment({ paymentId: `${cardId}-${i}`, cardId, amount: 900 + i, ts: at(i * 60_000) }),
  );
}

const verdict = (d: PaymentDecision) => ({
  decision: d.decision,
  score: d.score,
  reasons: d.reasons,
  ruleIds: d.ruleIds,
});

describe('detector and a far-future payment', () => {
  it('dead-letters it with the reason; its card decides and stores exactly what a card without it does', async () => {
    await env().startDetector();
    const decisions = await env().collect(env().topics.decisions);
    const hostile = payment({ paymentId: 'hostile-2099', cardId: 'card-a', ts: '2099-01-01T00:00:00.000Z' });
    const a = burst('card-a');
    const b = burst('card-b');
    // card-a: the 2099 payment in the middle of its burst; card-b: the same burst without it
    await env().producer.send(
      env().topics.payments,
      [...a.slice(0, 4), hostile, ...a.slice(4)].map((value) => ({ value })),
    );
    await env().producer.send(
      env().topics.payments,
      b.map((value) => ({ value })),
    );

    await expect.poll(() => decisions.values.length, { timeout: 60_000 }).toBe(a.length + b.length);
    await waitFor(
      async () => (await env().admin.readTopic(`${env().topics.payments.name}.dlq`)).length === 1,
      {
        timeoutMs: 30_000,
        message: 'the 2099 payment is dead-lettered',
      },
    );
    const [dead] = await env().admin.readTopic(`${env().topics.payments.name}.dlq`);
    expect(JSON.parse(dead?.value ?? 'null')).toEqual(hostile);
    expect(dead?.headers[dlqHeaders.errorKind]).toBe('poison');
    expect(dead?.headers[dlqHeaders.reason]).toMatch(
      /payment ts must not lie more than 300000 ms in the future/,
    );

    const byId = new Map(decisions.values.map((d) => [d.paymentId, d]));
    expect(byId.has('hostile-2099')).toBe(false);
    const ofA = a.map((p) => verdict(byId.get(p.paymentId) as PaymentDecision));
    const ofB = b.map((p) => verdict(byId.get(p.paymentId) as PaymentDecision));
    expect(ofA).toEqual(ofB);
    // the velocity rules did fire on the burst: the windows were not blinded
    expect(ofA.some((d) => d.decision !== 'approve')).toBe(true);
    const [stateA, stateB] = await Promise.all([
      env().redis.get(env().keys.card('card-a')),
      env().redis.get(env().keys.card('card-b')),
    ]);
    expect(stateA).not.toBeNull();
    expect(stateA?.replaceAll('card-a-', 'card-b-')).toEqual(stateB);
  });
});

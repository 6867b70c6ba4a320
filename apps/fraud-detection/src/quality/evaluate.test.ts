import type { Payment } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import type { LabelledPayment, ScenarioName } from '../generator/draft.ts';
import { type DecidedPayment, evaluateQuality } from './evaluate.ts';

let n = 0;
function decided(
  cardId: string,
  minute: number,
  decision: DecidedPayment['decision'],
  attack?: { scenario: ScenarioName; instance: string },
): DecidedPayment {
  const payment = {
    paymentId: `p-${n++}`,
    cardId,
    accountId: 'a',
    merchantId: 'm',
    mcc: '5411',
    amount: 100,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString(),
  } satisfies Payment;
  const labelled: LabelledPayment = {
    payment,
    isFraud: attack !== undefined,
    scenario: attack?.scenario ?? null,
    scenarioInstance: attack?.instance ?? null,
  };
  return { labelled, decision, reasons: decision === 'approve' ? [] : ['model score 0.93'] };
}

describe('evaluateQuality', () => {
  const ct = { scenario: 'card_testing', instance: 'i1' } as const;
  const vb = { scenario: 'velocity_burst', instance: 'i2' } as const;
  const rows = [
    decided('c1', 0, 'approve', ct), // probe, missed
    decided('c1', 1, 'decline', ct), // cash-out, caught → instance i1 detected
    decided('c1', 90, 'review'), // owner's payment on the compromised card: collateral
    decided('c2', 5, 'approve', vb), // i2 never flagged → missed
    decided('c2', 6, 'approve', vb),
    decided('c3', 10, 'review'), // a plain false positive
    decided('c3', 11, 'approve'),
  ];

  it('counts attacks as detected when any of their payments is flagged', () => {
    const r = evaluateQuality(rows);
    expect(r.instances).toBe(2);
    expect(r.detectedInstances).toBe(1);
    expect(r.scenarioRecall).toBe(0.5);
    expect(r.perScenario.card_testing).toEqual({
      instances: 1,
      detected: 1,
      payments: 2,
      flaggedPayments: 1,
    });
    expect(r.missedInstances).toEqual(['i2']);
  });

  it('separates collateral flags on a card under attack from false positives', () => {
    const r = evaluateQuality(rows);
    expect(r.confusion).toEqual({ tp: 1, fp: 2, tn: 1, fn: 3 });
    expect(r.collateral).toBe(1);
    expect(r.paymentPrecision).toBe(0.5); // 1 / (1 + 2 − 1)
    expect(r.strictPaymentPrecision).toBeCloseTo(1 / 3);
    expect(r.paymentRecall).toBe(0.25);
    expect(r.falsePositiveReasons).toEqual([['model score #', 1]]);
    expect(r.passed).toBe(false);
  });

  it('skips the warm-up period', () => {
    const r = evaluateQuality(rows, { evaluateFromMs: Date.UTC(2026, 0, 1) + 8 * 60_000 });
    expect(r.payments).toBe(3);
    expect(r.instances).toBe(0);
  });
});

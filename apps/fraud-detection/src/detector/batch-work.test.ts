import type { IncomingMessage } from '@streamkit/kafka';
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { alertFor, alertIdFor } from './alert.ts';
import { type Decide, startBatch } from './batch-work.ts';

function record(offset: number, paymentId: string, cardId = 'card-1'): IncomingMessage<Payment> {
  return {
    topic: 'payments',
    partition: 0,
    offset: String(offset),
    key: cardId,
    headers: {},
    timestamp: 0,
    value: {
      paymentId,
      cardId,
      accountId: 'acct-1',
      merchantId: 'm-1',
      mcc: '5411',
      amount: 1000,
      currency: 'EUR',
      country: 'DE',
      ts: '2026-01-15T12:00:00Z',
    },
  };
}

function decisionOf(payment: Payment, decision: PaymentDecision['decision'] = 'approve'): PaymentDecision {
  return {
    paymentId: payment.paymentId,
    cardId: payment.cardId,
    decision,
    score: decision === 'approve' ? 0 : 0.8,
    reasons: decision === 'approve' ? [] : ['rule R-X: test'],
    ruleIds: decision === 'approve' ? [] : ['R-X'],
    modelVersion: 'none',
    decidedAt: '2026-01-15T12:00:01Z',
    paymentTs: payment.ts,
  };
}

/** A stand-in step that counts payments in the state, to see what was applied. */
const countingDecide: Decide = (state, payment) => ({
  stateAfter: { ...state, paymentCount: state.paymentCount + 1 },
  decision: decisionOf(payment),
  late: false,
});

describe('startBatch', () => {
  it('advances each card in offset order and records what to write', () => {
    const work = startBatch({ states: new Map(), decisions: new Map() });
    for (const [i, id] of ['p1', 'p2', 'p3'].entries()) {
      expect(work.next(record(i, id, id === 'p2' ? 'card-2' : 'card-1'), countingDecide).kind).toBe(
        'decided',
      );
    }
    expect(work.changedStates().get('card-1')?.paymentCount).toBe(2);
    expect(work.changedStates().get('card-2')?.paymentCount).toBe(1);
    expect(work.newDecisions().map((d) => [d.decision.paymentId, d.origin])).toEqual([
      ['p1', 'payments/0/0'],
      ['p2', 'payments/0/1'],
      ['p3', 'payments/0/2'],
    ]);
  });

  it('re-emits the stored decision of the same record and never applies it again', () => {
    const stored = decisionOf(record(5, 'p1').value, 'review');
    const work = startBatch({
      states: new Map(),
      decisions: new Map([['p1', { decision: stored, origin: 'payments/0/5' }]]),
    });
    expect(work.next(record(5, 'p1'), countingDecide)).toEqual({ kind: 'replay', decision: stored });
    expect(work.changedStates().size).toBe(0);
    expect(work.newDecisions()).toEqual([]);
  });

  it('emits nothing for another record carrying an already decided paymentId', () => {
    const stored = decisionOf(record(5, 'p1').value);
    const work = startBatch({
      states: new Map(),
      decisions: new Map([['p1', { decision: stored, origin: 'payments/0/5' }]]),
    });
    expect(work.next(record(9, 'p1'), countingDecide)).toEqual({ kind: 'duplicate' });
    // a duplicate inside one batch too
    expect(work.next(record(10, 'p2'), countingDecide).kind).toBe('decided');
    expect(work.next(record(11, 'p2'), countingDecide)).toEqual({ kind: 'duplicate' });
    expect(work.changedStates().get('card-1')?.paymentCount).toBe(1);
  });
});

describe('alertFor', () => {
  it('alerts on review and decline with an id derived from the paymentId, not on approve', () => {
    const p = record(0, 'p1').value;
    expect(alertFor(p, decisionOf(p))).toBeNull();
    const alert = alertFor(p, decisionOf(p, 'review'));
    expect(alert).toMatchObject({
      alertId: 'alert-p1',
      paymentId: 'p1',
      decision: 'review',
      createdAt: '2026-01-15T12:00:01Z',
    });
  });

  it('hashes paymentIds too long to prefix, deterministically, within the id limit', () => {
    const long = 'x'.repeat(64);
    expect(alertIdFor(long)).toMatch(/^alert-[0-9a-f]{40}$/);
    expect(alertIdFor(long)).toBe(alertIdFor(long));
    expect(alertIdFor(long).length).toBeLessThanOrEqual(64);
  });
});

import type { PaymentDecision } from '@streamkit/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDecisionWaiters } from './decision-waiters.ts';
import { WaiterLimitError } from './errors.ts';

const decision = (paymentId: string): PaymentDecision => ({
  paymentId,
  cardId: 'card-1',
  decision: 'approve',
  score: 0.1,
  reasons: [],
  ruleIds: [],
  modelVersion: 'm1',
  decidedAt: '2026-01-15T12:00:01Z',
  paymentTs: '2026-01-15T12:00:00Z',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('decision waiters', () => {
  it('wakes every waiter of the payment, and only those', async () => {
    const waiters = createDecisionWaiters({ maxWaiters: 10 });
    const a1 = waiters.wait('a', 10_000);
    const a2 = waiters.wait('a', 10_000);
    const b = waiters.wait('b', 10_000);
    waiters.deliver(decision('a'));
    expect((await a1.decision)?.paymentId).toBe('a');
    expect((await a2.decision)?.paymentId).toBe('a');
    expect(waiters.size).toBe(1);
    b.cancel();
    expect(await b.decision).toBeUndefined();
    expect(waiters.size).toBe(0);
  });

  it('answers undefined at the deadline and frees the slot', async () => {
    vi.useFakeTimers();
    const waiters = createDecisionWaiters({ maxWaiters: 1 });
    const wait = waiters.wait('a', 500);
    expect(() => waiters.wait('b', 500)).toThrow(WaiterLimitError);
    await vi.advanceTimersByTimeAsync(500);
    expect(await wait.decision).toBeUndefined();
    expect(waiters.size).toBe(0);
    // a decision after the deadline reaches nobody and the slot is free again
    waiters.deliver(decision('a'));
    expect(() => waiters.wait('b', 500).cancel()).not.toThrow();
  });

  it('wakes everyone with undefined on close and refuses to hold new waits', async () => {
    const waiters = createDecisionWaiters({ maxWaiters: 5 });
    const wait = waiters.wait('a', 60_000);
    waiters.close();
    expect(await wait.decision).toBeUndefined();
    expect(await waiters.wait('c', 60_000).decision).toBeUndefined();
    expect(waiters.size).toBe(0);
  });
});

// Card state: event-time windows, lateness, idempotency per paymentId, bounded size.
import { describe, expect, it } from 'vitest';
import {
  applyPayment,
  defaultCardStateLimits,
  emptyCardState,
  homeCountry,
} from '../src/domain/card-state.ts';
import { ONE_HOUR_MS, ONE_MINUTE_MS, velocity } from '../src/domain/velocity.ts';
import { HOUR, MIN, pay, stateOf, T0 } from './domain.fixtures.ts';

const lateness = { allowedLatenessMs: 5 * MIN };

describe('applyPayment', () => {
  it('adds a payment to the windows, statistics and known sets', () => {
    const p = pay(0, { amount: 1234, merchantId: 'm-a', mcc: '5812' });
    const r = applyPayment(emptyCardState(), p, lateness);
    expect(r).toMatchObject({ applied: true, late: false, duplicate: false });
    expect(r.state.recent).toHaveLength(1);
    expect(r.state.recent[0]).toMatchObject({
      paymentId: p.paymentId,
      ts: T0,
      amount: 1234,
      amountEur: 12.34,
    });
    expect(r.state.knownMerchants).toEqual(['m-a']);
    expect(r.state.knownMccs).toEqual(['5812']);
    expect(r.state).toMatchObject({
      lastCountry: 'DE',
      lastTs: T0,
      watermarkMs: T0,
      paymentCount: 1,
      firstSeenMs: T0,
    });
    expect(r.state.amountStats.mean).toBeCloseTo(Math.log1p(12.34), 10);
  });

  it('is idempotent per paymentId: a replay changes nothing', () => {
    const p = pay(0);
    const once = applyPayment(emptyCardState(), p, lateness).state;
    const again = applyPayment(once, p, lateness);
    expect(again).toMatchObject({ applied: false, duplicate: true, late: false });
    expect(again.state).toBe(once);
    expect(velocity(again.state, T0, ONE_HOUR_MS).count).toBe(1);
  });

  it('still knows a payment that left the recent ids while it is in the windows', () => {
    const first = pay(0);
    const others = Array.from({ length: defaultCardStateLimits.maxRecentIds + 5 }, (_, i) => pay(1000 + i));
    const state = stateOf([first, ...others]);
    expect(state.recentIds).not.toContain(first.paymentId);
    expect(applyPayment(state, first, lateness).duplicate).toBe(true);
  });

  it('inserts an out-of-order payment (within lateness) at its place in time', () => {
    const state = stateOf([pay(0), pay(4 * MIN), pay(2 * MIN, { country: 'FR' })]);
    expect(state.recent.map((r) => r.ts - T0)).toEqual([0, 2 * MIN, 4 * MIN]);
    // the latest by event time is still the 4-minute one, in DE
    expect(state).toMatchObject({ lastCountry: 'DE', lastTs: T0 + 4 * MIN, watermarkMs: T0 + 4 * MIN });
  });

  it('decides but does not window a payment older than watermark − allowed lateness, and reports it late', () => {
    const state = stateOf([pay(0), pay(30 * MIN)]);
    const late = applyPayment(state, pay(30 * MIN - 6 * MIN, { amount: 99_900 }), lateness);
    expect(late).toMatchObject({ applied: false, late: true, duplicate: false });
    expect(late.state.recent).toHaveLength(2);
    expect(late.state.paymentCount).toBe(2);
    // remembered as seen: a replay of the late payment is a duplicate
    const p = pay(30 * MIN - 6 * MIN);
    const first = applyPayment(state, p, lateness).state;
    expect(applyPayment(first, p, lateness).duplicate).toBe(true);
  });

  it('accepts a payment exactly at watermark − allowed lateness', () => {
    const state = stateOf([pay(30 * MIN)]);
    expect(applyPayment(state, pay(25 * MIN), lateness)).toMatchObject({ applied: true, late: false });
  });

  it('evicts payments that left the longest window and caps every list', () => {
    const state = stateOf([pay(0), pay(2 * HOUR)]);
    expect(state.recent.map((r) => r.ts - T0)).toEqual([2 * HOUR]);

    const many = [];
    for (let i = 0; i < 600; i++)
      many.push(pay(i * 1000, { merchantId: `m-${i}`, country: i % 2 ? 'DE' : 'AT' }));
    const big = stateOf(many);
    expect(big.recent).toHaveLength(defaultCardStateLimits.maxRecent);
    expect(big.knownMerchants).toHaveLength(defaultCardStateLimits.maxKnownMerchants);
    expect(big.recentIds).toHaveLength(defaultCardStateLimits.maxRecentIds);
    expect(big.recent.at(-1)?.paymentId).toBe(many.at(-1)?.paymentId);
    expect(big.paymentCount).toBe(600);
  });

  it('survives a JSON round trip (it is stored in Redis)', () => {
    const state = stateOf([pay(0), pay(MIN, { country: 'FR' })]);
    const copy = JSON.parse(JSON.stringify(state));
    expect(copy).toEqual(state);
    expect(applyPayment(copy, pay(2 * MIN), lateness).applied).toBe(true);
  });

  it('knows the home country as the most used one', () => {
    expect(homeCountry(emptyCardState())).toBeNull();
    expect(homeCountry(stateOf([pay(0, { country: 'FR' }), pay(MIN), pay(2 * MIN)]))).toBe('DE');
  });
});

describe('velocity', () => {
  const state = stateOf([
    pay(0, { amount: 1000 }),
    pay(30 * 1000, { amount: 2000 }),
    pay(MIN, { amount: 4000 }),
  ]);

  it('counts and sums by event time over (at − window, at]', () => {
    expect(velocity(state, T0 + MIN, ONE_MINUTE_MS)).toEqual({ count: 2, sum: 60 });
    expect(velocity(state, T0 + MIN, ONE_HOUR_MS)).toEqual({ count: 3, sum: 70 });
  });

  it('excludes a payment exactly one window old and anything after `at`', () => {
    expect(velocity(state, T0 + MIN, ONE_MINUTE_MS).count).toBe(2);
    expect(velocity(state, T0 + MIN - 1, ONE_MINUTE_MS)).toEqual({ count: 2, sum: 30 });
    expect(velocity(state, T0 + ONE_HOUR_MS, ONE_HOUR_MS)).toEqual({ count: 2, sum: 60 });
  });

  it('rejects a non-positive window', () => {
    expect(() => velocity(state, T0, 0)).toThrow(/windowMs/);
  });
});

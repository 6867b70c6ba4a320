// Hand-made payments for the domain's unit tests: one card, times relative to a fixed start.
import type { Payment } from '@streamkit/schemas';
import { applyPayment, type CardState, emptyCardState } from '../src/domain/card-state.ts';

export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;

let seq = 0;

/** A payment `atMs` after T0 (default: an everyday 25.00 EUR at a grocery in DE). */
export function pay(atMs: number, overrides: Partial<Payment> = {}): Payment {
  seq += 1;
  return {
    paymentId: `p-${seq}`,
    cardId: 'card-1',
    accountId: 'acct-1',
    merchantId: 'm-grocery',
    mcc: '5411',
    amount: 2500,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(T0 + atMs).toISOString(),
    ...overrides,
  };
}

/** The state after applying the payments in order (lateness 5 min). */
export function stateOf(payments: readonly Payment[], start: CardState = emptyCardState()): CardState {
  let state = start;
  for (const p of payments) state = applyPayment(state, p, { allowedLatenessMs: 5 * MIN }).state;
  return state;
}

/** A settled card: `days` days of 3 everyday payments a day in DE at a few merchants, before T0. */
export function historyPayments(days = 10): Payment[] {
  const out: Payment[] = [];
  const merchants = ['m-grocery', 'm-bakery', 'm-fuel', 'm-pharmacy'];
  for (let d = days; d >= 1; d--) {
    for (let i = 0; i < 3; i++) {
      out.push(
        pay(-d * 24 * HOUR + (9 + i * 4) * HOUR, {
          merchantId: merchants[(d + i) % merchants.length] as string,
          amount: 1500 + ((d * 7 + i * 13) % 40) * 100,
        }),
      );
    }
  }
  return out;
}

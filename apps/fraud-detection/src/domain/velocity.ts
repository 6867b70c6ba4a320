/**
 * Sliding event-time windows over a card's recent payments. A window ending at `atMs` covers
 * (atMs − windowMs, atMs]: a payment exactly `windowMs` older than `atMs` has left the window.
 */
import type { CardState, RecentPayment } from './card-state.ts';

export const ONE_MINUTE_MS = 60_000;
export const ONE_HOUR_MS = 60 * ONE_MINUTE_MS;

export interface WindowTotals {
  readonly count: number;
  /** sum of the amounts as rough euro equivalents (see currency.ts) */
  readonly sum: number;
}

/** Count and sum of the card's payments in the window ending at `atMs` (by event time). */
export function velocity(state: CardState, atMs: number, windowMs: number): WindowTotals {
  if (!(windowMs > 0)) throw new RangeError(`velocity: windowMs must be > 0, got ${windowMs}`);
  const recent = state.recent;
  const from = firstAfter(recent, atMs - windowMs);
  const to = firstAfter(recent, atMs);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (recent[i] as RecentPayment).amountEur;
  return { count: to - from, sum };
}

/** The payments in the window ending at `atMs`, oldest first. */
export function paymentsInWindow(state: CardState, atMs: number, windowMs: number): readonly RecentPayment[] {
  return state.recent.slice(firstAfter(state.recent, atMs - windowMs), firstAfter(state.recent, atMs));
}

/** The latest payment at or before `atMs`, if the windows still hold one. */
export function latestAtOrBefore(state: CardState, atMs: number): RecentPayment | undefined {
  const i = firstAfter(state.recent, atMs);
  return i > 0 ? state.recent[i - 1] : undefined;
}

/** Index of the first payment with ts > `ms` (binary search; `recent` is sorted by ts). */
export function firstAfter(recent: readonly RecentPayment[], ms: number): number {
  let lo = 0;
  let hi = recent.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((recent[mid] as RecentPayment).ts <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

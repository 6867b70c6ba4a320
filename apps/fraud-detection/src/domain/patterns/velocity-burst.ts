/**
 * Velocity burst: far more payments, or far more money, in a short time than this card normally
 * does. The money test leaves out the hour's largest payment, so one big purchase among everyday
 * ones is not a burst; many sizeable ones are.
 */
import type { CardState, RecentPayment } from '../card-state.ts';
import type { PatternMatch } from '../contracts.ts';
import { formatEur } from '../currency.ts';
import { ONE_HOUR_MS, paymentsInWindow, velocity } from '../velocity.ts';
import { formatDuration, type PaymentContext } from './context.ts';
import type { VelocityBurstSettings } from './settings.ts';

/**
 * The card's typical payment in euros before the window: the geometric mean of its amounts without
 * the window's own payments (a burst must not raise its own baseline), or `fallback` while the card
 * has fewer than `minHistory` such payments.
 */
export function typicalAmountEur(
  state: CardState,
  window: readonly RecentPayment[],
  minHistory: number,
  fallback: number,
): number {
  let logSum = state.amountStats.mean * state.amountStats.count;
  for (const p of window) logSum -= Math.log1p(p.amountEur);
  const count = state.amountStats.count - window.length;
  return count < Math.max(1, minHistory) ? fallback : Math.expm1(logSum / count);
}

export function detectVelocityBurst(
  state: CardState,
  ctx: PaymentContext,
  settings: VelocityBurstSettings,
): PatternMatch | null {
  const { payment, tsMs, amountEur } = ctx;
  for (const limit of settings.countLimits) {
    const count = velocity(state, tsMs, limit.windowMs).count + 1;
    if (count >= limit.maxCount) {
      return {
        pattern: 'velocity_burst',
        reason: `velocity burst: ${count} payments in ${formatDuration(limit.windowMs)}`,
      };
    }
  }
  const hour = paymentsInWindow(state, tsMs, ONE_HOUR_MS);
  const perHour = hour.length + 1;
  if (perHour < settings.minCountForSum) return null;
  let sum = amountEur;
  let largest = amountEur;
  for (const p of hour as readonly RecentPayment[]) {
    sum += p.amountEur;
    if (p.amountEur > largest) largest = p.amountEur;
  }
  const typical = typicalAmountEur(state, hour, settings.minHistoryForSum, settings.fallbackTypicalEur);
  const threshold = Math.max(settings.minSumEur, settings.sumMultiplier * typical);
  if (sum - largest < threshold) return null;
  return {
    pattern: 'velocity_burst',
    reason: `velocity burst: ${formatEur(sum, payment.currency)} in ${perHour} payments in 1 h (typical payment ${formatEur(typical, payment.currency)})`,
  };
}

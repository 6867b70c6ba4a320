/**
 * Card testing: a fraudster checks a stolen card with several tiny payments, then cashes out with a
 * large one within minutes. Fires on the large payment after enough probes, and on the probes
 * themselves once there are enough of them (counting the current one) to be a series.
 */
import type { CardState, RecentPayment } from '../card-state.ts';
import type { PatternMatch } from '../contracts.ts';
import { formatEur } from '../currency.ts';
import { paymentsInWindow } from '../velocity.ts';
import { formatDuration, formatPaymentAmount, type PaymentContext } from './context.ts';
import type { CardTestingSettings } from './settings.ts';

export function detectCardTesting(
  state: CardState,
  ctx: PaymentContext,
  settings: CardTestingSettings,
): PatternMatch | null {
  const { payment, tsMs, amountEur } = ctx;
  const probes: RecentPayment[] = [];
  for (const p of paymentsInWindow(state, tsMs, settings.windowMs)) {
    if (p.amountEur <= settings.tinyAmountEur && p.paymentId !== payment.paymentId) probes.push(p);
  }
  const tiny = formatEur(settings.tinyAmountEur, payment.currency);
  const first = probes[0];
  if (
    amountEur >= settings.largeAmountEur &&
    first !== undefined &&
    probes.length >= settings.minTinyPayments
  ) {
    return {
      pattern: 'card_testing',
      reason: `card testing: ${probes.length} payments ≤ ${tiny} in ${formatDuration(tsMs - first.ts)}, then ${formatPaymentAmount(payment)}`,
    };
  }
  if (
    amountEur <= settings.tinyAmountEur &&
    first !== undefined &&
    probes.length + 1 >= settings.minTinyPayments
  ) {
    return {
      pattern: 'card_testing',
      reason: `card testing: ${probes.length + 1} payments ≤ ${tiny} in ${formatDuration(tsMs - first.ts)}`,
    };
  }
  return null;
}

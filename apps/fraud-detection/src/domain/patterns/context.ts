/** What every pattern needs about the current payment, computed once. */
import type { Payment } from '@streamkit/schemas';
import { paymentTimeMs } from '../card-state.ts';
import { formatAmount, toEur, toMajorUnits } from '../currency.ts';

export interface PaymentContext {
  readonly payment: Payment;
  readonly tsMs: number;
  readonly amountEur: number;
}

export function paymentContext(payment: Payment): PaymentContext {
  return {
    payment,
    tsMs: paymentTimeMs(payment),
    amountEur: toEur(payment.amount, payment.currency),
  };
}

/** "4 min", "45 s": for reasons people read. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms === 3_600_000) return '1 h';
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The payment's own amount as people read it: "950.00 EUR", "152000 JPY". */
export function formatPaymentAmount(payment: Payment): string {
  return formatAmount(toMajorUnits(payment.amount, payment.currency), payment.currency);
}

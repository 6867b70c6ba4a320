import type { PaymentDecision } from '@streamkit/schemas';
import { WaiterLimitError } from './errors.ts';

/** One long-polling request's wait for a decision. */
export interface PendingWait {
  /** Resolves with the decision, or undefined at the deadline or when the waiters are closed. */
  readonly decision: Promise<PaymentDecision | undefined>;
  /** Stop waiting (the decision was found elsewhere): frees the slot at once. */
  cancel(): void;
}

/**
 * In-memory waiters for decisions, woken by the detector's announcements (decision-subscriber.ts). Bounded:
 * beyond `maxWaiters` a new wait is refused with WaiterLimitError instead of holding more sockets.
 */
export interface DecisionWaiters {
  wait(paymentId: string, timeoutMs: number): PendingWait;
  /** A decision arrived: wake everyone waiting for its payment. */
  deliver(decision: PaymentDecision): void;
  /** Is anyone waiting for this payment? (cheap: lets the feed skip parsing the others) */
  has(paymentId: string): boolean;
  /** The paymentIds waited for now (to look them up after the feed may have missed some). */
  waiting(): string[];
  /** Current number of waiting requests. */
  readonly size: number;
  /** Wakes every waiter with `undefined` and refuses new waits (shutdown). */
  close(): void;
}

interface Waiter {
  readonly resolve: (decision: PaymentDecision | undefined) => void;
  readonly timer: NodeJS.Timeout;
}

export function createDecisionWaiters(settings: { readonly maxWaiters: number }): DecisionWaiters {
  const byPayment = new Map<string, Set<Waiter>>();
  let size = 0;
  let closed = false;

  function remove(paymentId: string, waiter: Waiter): boolean {
    const set = byPayment.get(paymentId);
    if (set === undefined || !set.delete(waiter)) return false;
    if (set.size === 0) byPayment.delete(paymentId);
    clearTimeout(waiter.timer);
    size--;
    return true;
  }

  return {
    wait(paymentId, timeoutMs) {
      if (closed) return { decision: Promise.resolve(undefined), cancel: () => undefined };
      if (size >= settings.maxWaiters) throw new WaiterLimitError(settings.maxWaiters);
      const { promise: decision, resolve } = Promise.withResolvers<PaymentDecision | undefined>();
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          if (remove(paymentId, waiter)) resolve(undefined);
        }, timeoutMs),
      };
      const set = byPayment.get(paymentId) ?? new Set<Waiter>();
      set.add(waiter);
      byPayment.set(paymentId, set);
      size++;
      return {
        decision,
        cancel: () => {
          if (remove(paymentId, waiter)) resolve(undefined);
        },
      };
    },
    deliver(decision) {
      const set = byPayment.get(decision.paymentId);
      if (set === undefined) return;
      for (const waiter of [...set]) {
        remove(decision.paymentId, waiter);
        waiter.resolve(decision);
      }
    },
    has: (paymentId) => byPayment.has(paymentId),
    waiting: () => [...byPayment.keys()],
    get size() {
      return size;
    },
    close() {
      closed = true;
      for (const [paymentId, set] of [...byPayment]) {
        for (const waiter of [...set]) {
          remove(paymentId, waiter);
          waiter.resolve(undefined);
        }
      }
    },
  };
}

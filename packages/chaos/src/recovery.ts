/**
 * A fault's recovery: from its injection until every operation the ingress accepted from 1 s before
 * it to 1 s after the component was back had its visible effect (or, when nothing was accepted in
 * that window, the first operation accepted afterwards). Operations that never had one are the
 * report's "lost", not part of this; undefined when none of them completed.
 */
import type { InjectedFault } from './inject.ts';
import type { LoadTracker } from './load-tracker.ts';

export function recoveryMs(fault: InjectedFault, tracker: LoadTracker): number | undefined {
  let window = tracker.acceptedBetween(fault.startedAtMs - 1000, fault.endedAtMs + 1000);
  if (window.length === 0) {
    const next = tracker.firstAcceptedAfter(fault.endedAtMs);
    if (next === undefined) return undefined;
    window = [next];
  }
  const completed = window.flatMap((w) => (w.completedAtMs === undefined ? [] : [w.completedAtMs]));
  if (completed.length === 0) return undefined;
  return Math.max(fault.startedAtMs, ...completed) - fault.startedAtMs;
}

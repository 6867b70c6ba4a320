/**
 * A fault's recovery: from its injection until every operation the ingress accepted from 1 s before
 * it to 1 s after the component was back had its visible effect (or, when nothing was accepted in
 * that window, the first operation accepted afterwards). Undefined: one of them never completed.
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
  let latest = fault.startedAtMs;
  for (const { completedAtMs } of window) {
    if (completedAtMs === undefined) return undefined;
    latest = Math.max(latest, completedAtMs);
  }
  return latest - fault.startedAtMs;
}

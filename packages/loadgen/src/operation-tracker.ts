/**
 * Bookkeeping of one run: which operations are outstanding, what happened to each, and the
 * latency histograms. Operations before `firstMeasuredOperation` belong to the warmup and are
 * counted apart, so the reported statistics cover only the measured window.
 */
import { createLatencyHistogram, type LatencyHistogram } from './histogram.ts';
import type { Completion } from './scenario.ts';

export type Phase = 'warmup' | 'measured';

export interface PhaseCounts {
  /** Handed to the scenario's send(). */
  sent: number;
  /** send() resolved. */
  accepted: number;
  /** Visible effect observed (has a latency). */
  completed: number;
  /** Sent, not failed, never completed by the end of the drain. */
  lost: number;
  /** Went out more than the late threshold after its intended time (the generator fell behind). */
  late: number;
  /** Completions for operations already finished. */
  duplicates: number;
  /**
   * Completed operations whose send was retried after an answer that left the outcome unknown (a
   * 503: maybe processed, retried with the same id): one completion each, not a duplicate.
   */
  completedAfterRetry: number;
  /** By kind; `dropped` = due while the in-flight cap was reached, never sent. */
  errors: Record<string, number>;
}

export interface TrackerSettings {
  readonly firstMeasuredOperation: number;
  readonly lateThresholdNs: number;
  readonly intendedAtNs: (operation: number) => number;
  readonly nowNs: () => number;
}

export interface OperationTracker {
  issued(operation: number, lagNs: number): void;
  accepted(operation: number): void;
  /** The operation failed (send rejected, or an error reported with its number): finished. */
  failed(operation: number, kind: string): void;
  dropped(operation: number): void;
  /** An error not tied to one operation (e.g. an undecodable message on the consumer). */
  error(kind: string): void;
  completed(completion: Completion): void;
  /** The operation's send is being retried after an answer that left its outcome unknown. */
  retried(operation: number): void;
  /** Counts everything still outstanding as lost; returns how many. */
  settleAsLost(): number;
  readonly inFlight: number;
  /** The largest delay between an operation's intended and actual send, in ns. */
  readonly maxLagNs: number;
  counts(phase: Phase): Readonly<PhaseCounts>;
  histogram(phase: Phase): LatencyHistogram;
}

export const droppedErrorKind = 'dropped';

export function createOperationTracker(settings: TrackerSettings): OperationTracker {
  const outstanding = new Set<number>();
  /** Outstanding operations whose send was retried (they count as completed after retry). */
  const retriedOutstanding = new Set<number>();
  const perPhase: Record<Phase, PhaseCounts> = { warmup: emptyCounts(), measured: emptyCounts() };
  const histograms: Record<Phase, LatencyHistogram> = {
    warmup: createLatencyHistogram(),
    measured: createLatencyHistogram(),
  };
  let maxLagNs = 0;
  const phaseOf = (operation: number): Phase =>
    operation >= settings.firstMeasuredOperation ? 'measured' : 'warmup';
  const countError = (phase: Phase, kind: string): void => {
    const errors = perPhase[phase].errors;
    errors[kind] = (errors[kind] ?? 0) + 1;
  };

  return {
    issued(operation, lagNs) {
      outstanding.add(operation);
      const counts = perPhase[phaseOf(operation)];
      counts.sent++;
      if (lagNs > settings.lateThresholdNs) counts.late++;
      if (lagNs > maxLagNs) maxLagNs = lagNs;
    },
    accepted(operation) {
      perPhase[phaseOf(operation)].accepted++;
    },
    failed(operation, kind) {
      outstanding.delete(operation);
      retriedOutstanding.delete(operation);
      countError(phaseOf(operation), kind);
    },
    dropped(operation) {
      countError(phaseOf(operation), droppedErrorKind);
    },
    error(kind) {
      // not tied to an operation: counted where the run is now
      const now = settings.nowNs();
      const measuring = now >= settings.intendedAtNs(settings.firstMeasuredOperation);
      countError(measuring ? 'measured' : 'warmup', kind);
    },
    completed({ operation, startNs, endNs }) {
      const phase = phaseOf(operation);
      if (!outstanding.delete(operation)) {
        perPhase[phase].duplicates++;
        return;
      }
      perPhase[phase].completed++;
      if (retriedOutstanding.delete(operation)) perPhase[phase].completedAfterRetry++;
      const end = endNs ?? settings.nowNs();
      histograms[phase].recordNs(end - (startNs ?? settings.intendedAtNs(operation)));
    },
    retried(operation) {
      // its first attempt may already have taken effect: then it completed before we knew
      if (outstanding.has(operation)) retriedOutstanding.add(operation);
      else perPhase[phaseOf(operation)].completedAfterRetry++;
    },
    settleAsLost() {
      retriedOutstanding.clear();
      for (const operation of outstanding) perPhase[phaseOf(operation)].lost++;
      const lost = outstanding.size;
      outstanding.clear();
      return lost;
    },
    get inFlight() {
      return outstanding.size;
    },
    get maxLagNs() {
      return maxLagNs;
    },
    counts: (phase) => perPhase[phase],
    histogram: (phase) => histograms[phase],
  };
}

function emptyCounts(): PhaseCounts {
  return {
    sent: 0,
    accepted: 0,
    completed: 0,
    lost: 0,
    late: 0,
    duplicates: 0,
    completedAfterRetry: 0,
    errors: {},
  };
}

export function totalErrors(counts: Readonly<PhaseCounts>): number {
  return Object.values(counts.errors).reduce((sum, n) => sum + n, 0);
}

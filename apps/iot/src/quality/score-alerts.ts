import type { IotAlert } from '@streamkit/schemas';
import type { FaultKind, FaultLabel } from '../devices/faults.ts';

/** An alert with the sequence number (tick) of the reading that raised it. */
export interface ScoredAlert {
  readonly alert: IotAlert;
  readonly seq: number;
}

/** Every kind the simulator injects: offline faults are found as gaps in a device's `seq`. */
export const DETECTABLE_FAULTS = [
  'spike',
  'stuck',
  'battery_drain',
  'offline',
] as const satisfies readonly FaultKind[];
export type DetectableFault = (typeof DETECTABLE_FAULTS)[number];

export interface KindRecall {
  readonly labelled: number;
  readonly found: number;
  readonly recall: number;
}

export interface AlertScore {
  readonly alerts: number;
  /** Alerts that match a labelled fault (see `matches`). */
  readonly truePositives: number;
  readonly precision: number;
  /** Faults (complete within the run) with at least one matching alert of a kind that finds them. */
  readonly recall: number;
  readonly byKind: Readonly<Record<DetectableFault, KindRecall>>;
  /** Alerts per device and simulated hour. */
  readonly alertsPerDeviceHour: number;
  /** A few false alarms and missed faults, to see what the detector got wrong. */
  readonly falseAlarms: readonly IotAlert[];
  readonly missed: readonly FaultLabel[];
}

/** Which alert kinds count as finding a fault of each kind. */
const FINDS: Record<DetectableFault, readonly IotAlert['kind'][]> = {
  spike: ['zscore', 'threshold'],
  stuck: ['stuck'],
  battery_drain: ['zscore', 'threshold'],
  offline: ['offline'],
};

/**
 * Whether an alert (of the fault's device) matches a fault, with no time tolerance:
 * - an `offline` alert matches an offline fault when the readings it reports missing,
 *   seqs [seq − value, seq), overlap the fault's ticks [fromTick, toTick);
 * - any other alert matches a fault of the same metric when the reading that raised it is one of
 *   the fault's readings: fromTick ≤ seq < toTick (a label lists exactly the readings it changed).
 */
function matches(fault: FaultLabel, a: ScoredAlert): boolean {
  if (a.alert.kind === 'offline')
    return fault.kind === 'offline' && a.seq - a.alert.value < fault.toTick && a.seq > fault.fromTick;
  return a.alert.metric === fault.metric && a.seq >= fault.fromTick && a.seq < fault.toTick;
}

/** A fault counts once it is over within the run: an offline one once the reading after it was sent. */
const complete = (f: FaultLabel, ticks: number) =>
  f.kind === 'offline' ? f.toTick < ticks : f.toTick <= ticks;

/**
 * Scores alerts against the simulator's labels. Precision: an alert is right when it matches a
 * labelled fault of its device (whatever the alert's kind); everything else — healthy readings, the
 * reading after a fault, a metric the fault did not touch, a late reading taken for a gap — is a
 * false alarm. Recall: a fault is found when a matching alert of a kind that finds it exists; only
 * faults complete within the run are counted.
 */
export function scoreAlerts(
  alerts: readonly ScoredAlert[],
  faults: readonly FaultLabel[],
  run: { readonly devices: number; readonly hours: number; readonly ticks: number },
): AlertScore {
  const faultsByDevice = new Map<string, FaultLabel[]>();
  for (const f of faults) faultsByDevice.set(f.deviceId, [...(faultsByDevice.get(f.deviceId) ?? []), f]);
  const alertsByDevice = new Map<string, ScoredAlert[]>();
  for (const a of alerts)
    alertsByDevice.set(a.alert.deviceId, [...(alertsByDevice.get(a.alert.deviceId) ?? []), a]);

  const falseAlarms: IotAlert[] = [];
  let truePositives = 0;
  for (const a of alerts) {
    if ((faultsByDevice.get(a.alert.deviceId) ?? []).some((f) => matches(f, a))) truePositives += 1;
    else falseAlarms.push(a.alert);
  }
  const missed: FaultLabel[] = [];
  const byKind = Object.fromEntries(
    DETECTABLE_FAULTS.map((kind) => {
      const wanted = faults.filter((f) => f.kind === kind && complete(f, run.ticks));
      const found = wanted.filter((f) => {
        const hit = (alertsByDevice.get(f.deviceId) ?? []).some(
          (a) => FINDS[kind].includes(a.alert.kind) && matches(f, a),
        );
        if (!hit) missed.push(f);
        return hit;
      }).length;
      return [kind, { labelled: wanted.length, found, recall: ratio(found, wanted.length) }];
    }),
  ) as Record<DetectableFault, KindRecall>;
  const labelled = DETECTABLE_FAULTS.reduce((n, k) => n + byKind[k].labelled, 0);
  const found = DETECTABLE_FAULTS.reduce((n, k) => n + byKind[k].found, 0);
  return {
    alerts: alerts.length,
    truePositives,
    precision: ratio(truePositives, alerts.length),
    recall: ratio(found, labelled),
    byKind,
    alertsPerDeviceHour: alerts.length / (run.devices * run.hours),
    falseAlarms: falseAlarms.slice(0, 10),
    missed: missed.slice(0, 10),
  };
}

/** n / d, and 1 when there was nothing to count (no alerts: no false alarm; no fault: none missed). */
function ratio(n: number, d: number): number {
  return d === 0 ? 1 : n / d;
}

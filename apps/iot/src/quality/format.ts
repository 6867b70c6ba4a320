import type { AnomalyQuality } from './run-quality.ts';
import type { AlertScore } from './score-alerts.ts';

/** The bar of issue 18, on the demo's own settings including its first minutes. */
export const QUALITY_BAR = { precision: 0.8, recall: 0.9 } as const;

export function passes(q: AnomalyQuality): boolean {
  return [q.whole, q.warmup].every(
    (s) => s.precision >= QUALITY_BAR.precision && s.recall >= QUALITY_BAR.recall,
  );
}

function scoreLines(s: AlertScore): string[] {
  const kinds = Object.entries(s.byKind)
    .map(([kind, k]) => `${kind} ${k.found}/${k.labelled}`)
    .join(', ');
  return [
    `  precision ${s.precision.toFixed(3)} (${s.truePositives}/${s.alerts} alerts matching a labelled fault)`,
    `  recall    ${s.recall.toFixed(3)} (${kinds})`,
    `  alerts per device-hour ${s.alertsPerDeviceHour.toFixed(2)}`,
  ];
}

export function formatAnomalyQuality(q: AnomalyQuality): string {
  const { settings } = q;
  const { fleet, anomaly } = settings;
  const list = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
  const floors = Object.entries(anomaly.minDeviation)
    .map(([metric, floor]) => `${metric} ${floor}`)
    .join(', ');
  const falseAlarms = q.whole.falseAlarms.map((a) => `  ${a.deviceId} ${a.ts} ${a.kind}: ${a.message}`);
  const missed = q.whole.missed.map(
    (f) =>
      `  ${f.deviceId} ${f.fromTs} ${f.kind} ${f.metric ?? ''}${f.value === undefined ? '' : ` → ${f.value}`}`,
  );
  return [
    `fleet seed ${fleet.seed}: ${fleet.deviceCount} devices every ${fleet.intervalMs / 1000} s × ${settings.hours} h from ${new Date(settings.startMs).toISOString()} (fault rate ${fleet.faultRate} per ${(fleet.ticksPerSlot * fleet.intervalMs) / 60_000}-minute slot, ${settings.delivery.lateFraction * 100} % late up to ${settings.delivery.maxLatenessMs / 1000} s)`,
    `${q.readings} readings (${q.rejectedByHub} the hub would dead-letter); faults injected: ${list(q.faults)}`,
    `detector: deviation > ${anomaly.zThreshold} standard deviations and > the floor (${floors}) after ${anomaly.warmupReadings} readings, one alert per episode (ends after ${anomaly.clearReadings} normal readings); stuck after ${anomaly.stuckReadings} equal readings; offline when ${anomaly.offlineMissedReadings}+ readings are missing; limits from the first reading`,
    `alerts: ${list(q.alertsByKind)}`,
    `whole run (${settings.hours} h):`,
    ...scoreLines(q.whole),
    `first ${settings.warmupMinutes} minutes after start:`,
    ...scoreLines(q.warmup),
    ...(falseAlarms.length === 0 ? [] : ['false alarms (first 10):', ...falseAlarms]),
    ...(missed.length === 0 ? [] : ['missed faults (first 10):', ...missed]),
    `bar: precision ≥ ${QUALITY_BAR.precision} at recall ≥ ${QUALITY_BAR.recall}, whole run and first minutes — ${passes(q) ? 'met' : 'NOT met'}`,
  ].join('\n');
}

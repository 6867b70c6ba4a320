/**
 * The anomaly quality run: a simulated fleet (by default the demo's, src/quality/demo-fleet.ts) from
 * its first reading, delivered in the demo's order (jitter, late readings), every reading scored by
 * the processor's detector in arrival order with fresh state — as a just-started `pnpm demo iot`
 * does, past the hub's validation — and the alerts compared with the simulator's labelled faults.
 */
import { sensorReadingValidator } from '@streamkit/schemas';
import type { DeliverySettings } from '../devices/delivery.ts';
import { deliveryOrder } from '../devices/delivery.ts';
import type { FaultLabel } from '../devices/faults.ts';
import { createFleet, type Fleet, type FleetSettings } from '../devices/fleet.ts';
import {
  type AnomalySettings,
  type DeviceStats,
  defaultAnomalySettings,
  detectAnomalies,
} from '../processor/anomaly.ts';
import { demoDelivery, demoFleet } from './demo-fleet.ts';
import { type AlertScore, type ScoredAlert, scoreAlerts } from './score-alerts.ts';

export interface AnomalyQualitySettings {
  readonly fleet: Omit<FleetSettings, 'startMs' | 'deviceIdPrefix'>;
  readonly delivery: DeliverySettings;
  /** Simulated hours from the fleet's first reading. */
  readonly hours: number;
  /** Event time of the first reading (epoch ms): the daily cycle's phase. */
  readonly startMs: number;
  /** The first minutes after start, scored apart (the detector's warm-up). */
  readonly warmupMinutes: number;
  readonly anomaly: AnomalySettings;
}

export const defaultQualitySettings: AnomalyQualitySettings = {
  fleet: demoFleet,
  delivery: demoDelivery,
  hours: 6,
  startMs: Date.parse('2026-05-01T06:00:00Z'),
  warmupMinutes: 10,
  anomaly: defaultAnomalySettings,
};

export interface AnomalyQuality extends RunScores {
  readonly settings: AnomalyQualitySettings;
  readonly readings: number;
  /** Readings the hub would dead-letter (outside the schema's ranges): the detector never sees them. */
  readonly rejectedByHub: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly alertsByKind: Readonly<Record<string, number>>;
  readonly alerts: readonly ScoredAlert[];
}

export interface RunScores {
  readonly whole: AlertScore;
  /** Alerts raised, and faults that started, within the first `warmupMinutes`. */
  readonly warmup: AlertScore;
}

/** The quality run's fleet (the demo's by default) from its first reading. */
export function qualityFleet(settings: AnomalyQualitySettings): { fleet: Fleet; ticks: number } {
  const fleet = createFleet({ ...settings.fleet, startMs: settings.startMs });
  return { fleet, ticks: Math.round((settings.hours * 3_600_000) / settings.fleet.intervalMs) };
}

export function runAnomalyQuality(input: Partial<AnomalyQualitySettings> = {}): AnomalyQuality {
  const settings = { ...defaultQualitySettings, ...input };
  const { fleet, ticks } = qualityFleet(settings);
  const stats = new Map<string, DeviceStats>();
  const alerts: ScoredAlert[] = [];
  let readings = 0;
  let rejectedByHub = 0;
  for (const { deliveries } of deliveryOrder(fleet, 0, ticks, settings.delivery)) {
    for (const { reading } of deliveries) {
      readings += 1;
      if (!sensorReadingValidator.validate(reading).ok) {
        rejectedByHub += 1;
        continue;
      }
      let s = stats.get(reading.deviceId);
      if (s === undefined) {
        s = {};
        stats.set(reading.deviceId, s);
      }
      for (const alert of detectAnomalies(reading, s, settings.anomaly, reading.ts))
        alerts.push({ alert, seq: reading.seq });
    }
  }
  const faults = fleet.faultsBetween(0, ticks);
  const count = (keys: readonly string[]) =>
    Object.fromEntries([...new Set(keys)].sort().map((k) => [k, keys.filter((x) => x === k).length]));
  return {
    settings,
    readings,
    rejectedByHub,
    faults: count(faults.map((f) => f.kind)),
    alertsByKind: count(alerts.map((a) => a.alert.kind)),
    alerts,
    ...scoreRun(alerts, faults, settings),
  };
}

/** Scores a run's alerts against its faults: the whole run, and its first minutes apart. */
export function scoreRun(
  alerts: readonly ScoredAlert[],
  faults: readonly FaultLabel[],
  settings: Pick<AnomalyQualitySettings, 'fleet' | 'hours' | 'warmupMinutes'>,
): RunScores {
  const { intervalMs, deviceCount: devices } = settings.fleet;
  const ticks = Math.round((settings.hours * 3_600_000) / intervalMs);
  const warmupTicks = Math.round((settings.warmupMinutes * 60_000) / intervalMs);
  return {
    whole: scoreAlerts(alerts, faults, { devices, hours: settings.hours, ticks }),
    warmup: scoreAlerts(
      alerts.filter((a) => a.seq < warmupTicks),
      faults.filter((f) => f.fromTick < warmupTicks),
      { devices, hours: settings.warmupMinutes / 60, ticks: warmupTicks },
    ),
  };
}

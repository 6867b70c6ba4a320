import type { IotAlert, SensorReading } from '@streamkit/schemas';
import { type AnomalySettings, type DeviceStats, detectAnomalies } from './anomaly.ts';
import { forgetBefore, isDuplicate, type RecentReadings } from './recent-readings.ts';
import {
  addToWindow,
  aggregateWindow,
  emptyWindowValues,
  isWindowOpen,
  type WindowAggregate,
  type WindowValues,
  windowStartOf,
} from './windows.ts';

/** What the processor keeps per device between micro-batches (persisted in Postgres). */
export interface DeviceState {
  /** Largest event time seen from the device (epoch ms), or null before its first reading. */
  maxEventTs: number | null;
  stats: DeviceStats;
  /** Open windows by start (epoch ms). */
  windows: Map<number, WindowValues>;
  /** Readings applied within the dedup horizon of maxEventTs: a second copy of one is skipped. */
  recent: RecentReadings;
}

export function emptyDeviceState(): DeviceState {
  return { maxEventTs: null, stats: {}, windows: new Map(), recent: new Map() };
}

/** A reading as the lake's raw table stores it. */
export interface RawRow {
  readonly reading: SensorReading;
  readonly tsMs: number;
  /** Its window had closed when it arrived: counted, kept here, left out of the aggregates. */
  readonly late: boolean;
  readonly partition: number;
  readonly offset: string;
}

export interface StepRecord {
  readonly reading: SensorReading;
  readonly partition: number;
  readonly offset: string;
}

export interface StepSettings {
  readonly windowMs: number;
  readonly allowedLatenessMs: number;
  readonly anomaly: AnomalySettings;
  /**
   * A reading (device, seq, event time) already applied is skipped while its event time is within
   * this of the device's newest (recent-readings.ts); an older copy is applied again.
   */
  readonly dedupHorizonMs: number;
}

export interface StepResult {
  readonly raw: RawRow[];
  /** Every window a reading of this batch changed, open or closed (for the live table). */
  readonly updatedWindows: WindowAggregate[];
  /** Windows the watermark closed in this batch: final, written to the lake once. */
  readonly closedWindows: WindowAggregate[];
  readonly alerts: IotAlert[];
  readonly lateDropped: number;
  /** Readings skipped as a second copy of one already applied (the hub produces at least once). */
  readonly duplicates: number;
}

/**
 * The processor's pure core: applies records (in offset order within each partition) to the
 * devices' state, which it mutates. Devices missing from `states` start empty.
 */
export function applyRecords(
  records: readonly StepRecord[],
  states: Map<string, DeviceState>,
  settings: StepSettings,
  now: Date,
): StepResult {
  const raw: RawRow[] = [];
  const alerts: IotAlert[] = [];
  const touched = new Map<string, Set<number>>();
  let lateDropped = 0;
  let duplicates = 0;
  const createdAt = now.toISOString();

  for (const { reading, partition, offset } of records) {
    const tsMs = Date.parse(reading.ts);
    let state = states.get(reading.deviceId);
    if (state === undefined) {
      state = emptyDeviceState();
      states.set(reading.deviceId, state);
    }
    if (isDuplicate(state.recent, reading, tsMs)) {
      duplicates += 1;
      continue;
    }
    state.recent.set(reading.seq, tsMs);
    const maxEventTs = Math.max(state.maxEventTs ?? tsMs, tsMs);
    state.maxEventTs = maxEventTs;
    const start = windowStartOf(tsMs, settings.windowMs);
    const late = !isWindowOpen(start + settings.windowMs, maxEventTs, settings.allowedLatenessMs);
    raw.push({ reading, tsMs, late, partition, offset });
    alerts.push(...detectAnomalies(reading, state.stats, settings.anomaly, createdAt));
    if (late) {
      lateDropped += 1;
      continue;
    }
    let values = state.windows.get(start);
    if (values === undefined) {
      values = emptyWindowValues();
      state.windows.set(start, values);
    }
    addToWindow(values, reading.metrics);
    let starts = touched.get(reading.deviceId);
    if (starts === undefined) {
      starts = new Set();
      touched.set(reading.deviceId, starts);
    }
    starts.add(start);
  }

  const updatedWindows: WindowAggregate[] = [];
  for (const [deviceId, starts] of touched) {
    const state = states.get(deviceId) as DeviceState;
    for (const start of starts) {
      const values = state.windows.get(start) as WindowValues;
      updatedWindows.push(aggregateWindow(deviceId, start, settings.windowMs, values));
    }
  }
  const closedWindows: WindowAggregate[] = [];
  for (const [deviceId, state] of states) {
    if (state.maxEventTs === null) continue;
    forgetBefore(state.recent, state.maxEventTs - settings.dedupHorizonMs);
    for (const [start, values] of state.windows) {
      if (isWindowOpen(start + settings.windowMs, state.maxEventTs, settings.allowedLatenessMs)) continue;
      closedWindows.push(aggregateWindow(deviceId, start, settings.windowMs, values));
      state.windows.delete(start);
    }
  }
  return { raw, updatedWindows, closedWindows, alerts, lateDropped, duplicates };
}

import { createHash } from 'node:crypto';
import {
  type IotAlert,
  type IotAlertKind,
  SENSOR_METRIC_NAMES,
  type SensorMetricName,
  type SensorReading,
} from '@streamkit/schemas';
import type { AnomalySettings } from './anomaly-settings.ts';
import { gapBefore, type NewestReading } from './offline.ts';

export { type AnomalySettings, defaultAnomalySettings, validateAnomalySettings } from './anomaly-settings.ts';

/** Per-metric rolling statistics of one device (exponentially weighted, so O(1) state). */
export interface MetricStats {
  /** Readings learnt (outliers are not). */
  n: number;
  mean: number;
  variance: number;
  /** The newest reading by event time, and its event time (epoch ms; absent in older state). */
  last: number;
  lastTs?: number;
  /** Consecutive readings equal to `last`. */
  repeats: number;
  /**
   * Set while an anomaly episode is open: the normal readings since its last anomalous one. Absent
   * when none is open (and in state written before episodes existed).
   */
  calm?: number;
  /** Readings in a row kept out of the statistics as outliers; absent after a normal one. */
  held?: number;
}

/** Per-metric statistics, and the newest reading (absent in state written before offline alerts). */
export type DeviceStats = Partial<Record<SensorMetricName, MetricStats>> & { newest?: NewestReading };

/** Battery legitimately holds its value for long stretches: not a stuck-sensor signal. */
const STUCK_METRICS: readonly SensorMetricName[] = ['temperature', 'humidity', 'pressure', 'vibration'];

/** Same reading, same alert id: a replayed batch re-sends alerts consumers can deduplicate. */
export function alertIdOf(deviceId: string, seq: number, kind: IotAlertKind, metric: string): string {
  return createHash('sha1').update(`${deviceId}|${seq}|${kind}|${metric}`).digest('hex');
}

type Raise = (
  kind: IotAlertKind,
  metric: string,
  value: number,
  extra: Partial<IotAlert>,
  message: string,
) => void;

/**
 * Scores one reading against the device's stats (then updates them in place); returns its alerts:
 * - `threshold` when a metric crosses a fixed limit — from the device's very first reading;
 * - `zscore` when, after the warm-up, a metric leaves its rolling mean by more than both
 *   zThreshold standard deviations and the metric's minimum deviation: once per episode, which
 *   ends after `clearReadings` normal readings;
 * - `stuck` when a sensor repeats one value `stuckReadings` times;
 * - `offline` when the device's `seq` shows `offlineMissedReadings` or more readings never sent.
 */
export function detectAnomalies(
  reading: SensorReading,
  stats: DeviceStats,
  settings: AnomalySettings,
  createdAt: string,
): IotAlert[] {
  const alerts: IotAlert[] = [];
  const raise: Raise = (kind, metric, value, extra, message) =>
    alerts.push({
      alertId: alertIdOf(reading.deviceId, reading.seq, kind, metric),
      deviceId: reading.deviceId,
      ts: reading.ts,
      kind,
      metric,
      value,
      message,
      createdAt,
      ...extra,
    });

  const ts = Date.parse(reading.ts);
  const { gap, newest } = gapBefore(reading.seq, ts, stats.newest, settings.offlineMissedReadings);
  stats.newest = newest;
  if (gap !== undefined) {
    const silence = (ts - gap.after.ts) / 1000;
    raise(
      'offline',
      'missedReadings',
      gap.missed,
      { threshold: settings.offlineMissedReadings },
      `no readings for ${silence} s: ${gap.missed} missed (seq ${gap.after.seq} to ${reading.seq})`,
    );
  }
  for (const metric of SENSOR_METRIC_NAMES) {
    const value = reading.metrics[metric];
    const s = stats[metric];
    // before any statistics exist: a device whose first reading is 130 °C is flagged at once
    const crossed = checkLimits(metric, value, s?.last, settings, raise);
    if (s === undefined)
      stats[metric] = { n: 1, mean: value, variance: 0, last: value, lastTs: ts, repeats: 1 };
    else judge(metric, value, ts, s, crossed, settings, raise);
  }
  return alerts;
}

/** The rolling-statistics part of one metric's reading: z-score episodes, stuck runs, learning. */
function judge(
  metric: SensorMetricName,
  value: number,
  ts: number,
  s: MetricStats,
  crossed: boolean,
  settings: AnomalySettings,
  raise: Raise,
): void {
  const sd = Math.sqrt(s.variance);
  const floor = settings.minDeviation[metric] ?? 0;
  const bound = Math.max(settings.zThreshold * sd, floor);
  const delta = value - s.mean;
  const judged = s.n >= settings.warmupReadings;
  const anomalous = judged && bound > 1e-9 && Math.abs(delta) > bound;
  // further than the floor: not the metric's normal noise, whatever the z-score says
  const outlier = judged && (floor > 0 ? Math.abs(delta) > floor : anomalous);
  if (anomalous) {
    // the limit alert already says it; one alert per reading and metric
    if (s.calm === undefined && !crossed) raiseDeviation(metric, value, s, sd, raise);
    s.calm = 0;
  } else if (s.calm !== undefined && !outlier) {
    s.calm += 1;
    if (s.calm >= settings.clearReadings) delete s.calm;
  }
  // a late reading (older than the newest) is judged and learnt, but is not the sensor's latest
  // value: it neither breaks nor extends a run of equal readings
  if (!(ts < (s.lastTs ?? Number.NEGATIVE_INFINITY))) {
    s.repeats = value === s.last ? s.repeats + 1 : 1;
    if (s.repeats === settings.stuckReadings && STUCK_METRICS.includes(metric)) {
      raise(
        'stuck',
        metric,
        value,
        { threshold: settings.stuckReadings },
        `${metric} stuck at ${value} for ${s.repeats} readings`,
      );
    }
    s.last = value;
    s.lastTs = ts;
  }
  // Outliers stay out of the statistics: a spike or a draining battery would otherwise widen the
  // band it is judged by and drag the mean, so that the return to normal looked like an anomaly.
  if (!outlier) {
    delete s.held;
    learn(s, delta, settings.alpha);
    return;
  }
  s.held = (s.held ?? 0) + 1;
  // out for this long: the level is the new normal, learnt again from this reading — unless it is
  // past a fixed limit, never normal (a flat battery must not make its replacement an anomaly)
  if (s.held >= settings.relearnReadings && beyondLimit(metric, value, settings) === undefined) {
    delete s.held;
    Object.assign(s, { n: 1, mean: value, variance: 0 });
  }
}

/** The fixed limit a value is past, if any. */
function beyondLimit(
  metric: SensorMetricName,
  value: number,
  settings: AnomalySettings,
): { side: 'above' | 'below'; limit: number } | undefined {
  const limit = settings.limits[metric];
  if (limit?.above !== undefined && value > limit.above) return { side: 'above', limit: limit.above };
  if (limit?.below !== undefined && value < limit.below) return { side: 'below', limit: limit.below };
  return undefined;
}

/** Raises a limit alert when a reading crosses a limit (the previous one was not past it). */
function checkLimits(
  metric: SensorMetricName,
  value: number,
  previous: number | undefined,
  settings: AnomalySettings,
  raise: Raise,
): boolean {
  const past = beyondLimit(metric, value, settings);
  if (past === undefined) return false;
  if (previous !== undefined && beyondLimit(metric, previous, settings)?.side === past.side) return false;
  raise(
    'threshold',
    metric,
    value,
    { threshold: past.limit },
    `${metric} ${value} ${past.side} ${past.limit}`,
  );
  return true;
}

function raiseDeviation(metric: SensorMetricName, value: number, s: MetricStats, sd: number, raise: Raise) {
  const delta = value - s.mean;
  const z = sd > 1e-9 ? delta / sd : undefined;
  raise(
    'zscore',
    metric,
    value,
    z === undefined ? {} : { zScore: z },
    `${metric} ${value} is ${Math.abs(delta).toFixed(2)} ${delta > 0 ? 'above' : 'below'} its rolling mean ${s.mean.toFixed(2)}${z === undefined ? '' : ` (${z.toFixed(1)} standard deviations)`}`,
  );
}

/**
 * Exact mean and variance over the first 1/alpha readings (Welford's recursion: the first few
 * readings are not judged against a variance of 0), exponentially weighted after that (West 1979).
 */
function learn(s: MetricStats, delta: number, alpha: number): void {
  const weight = Math.max(alpha, 1 / (s.n + 1));
  s.mean += weight * delta;
  s.variance = (1 - weight) * (s.variance + weight * delta * delta);
  s.n += 1;
}

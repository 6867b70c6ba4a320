import { createHash } from 'node:crypto';
import {
  type IotAlert,
  type IotAlertKind,
  SENSOR_METRIC_NAMES,
  type SensorMetricName,
  type SensorReading,
} from '@streamkit/schemas';

/** Per-metric rolling statistics of one device (exponentially weighted, so O(1) state). */
export interface MetricStats {
  n: number;
  mean: number;
  variance: number;
  last: number;
  /** Consecutive readings equal to `last`. */
  repeats: number;
}

export type DeviceStats = Partial<Record<SensorMetricName, MetricStats>>;

export interface AnomalySettings {
  /** |z| above this raises a "zscore" alert. */
  readonly zThreshold: number;
  /** Readings a metric needs before its z-score is trusted. */
  readonly warmupReadings: number;
  /** Weight of the newest reading in the rolling mean and variance. */
  readonly alpha: number;
  /** Identical consecutive readings that mean a stuck sensor. */
  readonly stuckReadings: number;
  /** Fixed limits: crossing one raises a "threshold" alert (once per crossing). */
  readonly limits: Partial<Record<SensorMetricName, { readonly above?: number; readonly below?: number }>>;
}

export const defaultAnomalySettings: AnomalySettings = Object.freeze({
  zThreshold: 4,
  warmupReadings: 20,
  alpha: 0.05,
  stuckReadings: 10,
  limits: { temperature: { above: 90 }, battery: { below: 10 }, vibration: { above: 200 } },
});

/** Battery legitimately holds its value for long stretches: not a stuck-sensor signal. */
const STUCK_METRICS: readonly SensorMetricName[] = ['temperature', 'humidity', 'pressure', 'vibration'];

export function validateAnomalySettings(s: AnomalySettings): AnomalySettings {
  const problems: string[] = [];
  if (!(s.zThreshold > 0)) problems.push(`zThreshold must be > 0, got ${s.zThreshold}`);
  if (!Number.isInteger(s.warmupReadings) || s.warmupReadings < 2)
    problems.push('warmupReadings must be an integer >= 2');
  if (!(s.alpha > 0 && s.alpha < 1)) problems.push(`alpha must be in (0, 1), got ${s.alpha}`);
  if (!Number.isInteger(s.stuckReadings) || s.stuckReadings < 2)
    problems.push('stuckReadings must be an integer >= 2');
  if (problems.length > 0) throw new RangeError(`invalid anomaly settings: ${problems.join('; ')}`);
  return s;
}

/** Same reading, same alert id: a replayed batch re-sends alerts consumers can deduplicate. */
export function alertIdOf(deviceId: string, seq: number, kind: IotAlertKind, metric: string): string {
  return createHash('sha1').update(`${deviceId}|${seq}|${kind}|${metric}`).digest('hex');
}

/** Scores one reading against the device's stats (then updates them in place); returns its alerts. */
export function detectAnomalies(
  reading: SensorReading,
  stats: DeviceStats,
  settings: AnomalySettings,
  createdAt: string,
): IotAlert[] {
  const alerts: IotAlert[] = [];
  const raise = (
    kind: IotAlertKind,
    metric: SensorMetricName,
    value: number,
    extra: Partial<IotAlert>,
    message: string,
  ) =>
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

  for (const metric of SENSOR_METRIC_NAMES) {
    const value = reading.metrics[metric];
    const s = stats[metric];
    if (s === undefined) {
      stats[metric] = { n: 1, mean: value, variance: 0, last: value, repeats: 1 };
      continue;
    }
    const sd = Math.sqrt(s.variance);
    if (s.n >= settings.warmupReadings && sd > 1e-9) {
      const z = (value - s.mean) / sd;
      if (Math.abs(z) > settings.zThreshold) {
        raise(
          'zscore',
          metric,
          value,
          { zScore: z, threshold: settings.zThreshold },
          `${metric} ${value} is ${z.toFixed(1)} standard deviations from its rolling mean ${s.mean.toFixed(2)}`,
        );
      }
    }
    const limit = settings.limits[metric];
    if (limit?.above !== undefined && value > limit.above && !(s.last > limit.above)) {
      raise(
        'threshold',
        metric,
        value,
        { threshold: limit.above },
        `${metric} ${value} above ${limit.above}`,
      );
    }
    if (limit?.below !== undefined && value < limit.below && !(s.last < limit.below)) {
      raise(
        'threshold',
        metric,
        value,
        { threshold: limit.below },
        `${metric} ${value} below ${limit.below}`,
      );
    }
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
    // EWMA mean and variance (West 1979 form)
    const delta = value - s.mean;
    s.mean += settings.alpha * delta;
    s.variance = (1 - settings.alpha) * (s.variance + settings.alpha * delta * delta);
    s.last = value;
    s.n += 1;
  }
  return alerts;
}

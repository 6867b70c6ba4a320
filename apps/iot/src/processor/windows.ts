import { SENSOR_METRIC_NAMES, type SensorMetricName, type SensorMetrics } from '@streamkit/schemas';

/** One metric's statistics over a window. */
export interface MetricAggregate {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Nearest-rank 95th percentile: the ceil(0.95·n)-th smallest value. */
  readonly p95: number;
}

/** The readings a device's open window holds, per metric. */
export type WindowValues = Record<SensorMetricName, number[]>;

export interface WindowAggregate {
  readonly deviceId: string;
  /** Epoch ms, aligned to the window size. */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
  readonly metrics: Record<SensorMetricName, MetricAggregate>;
}

export function windowStartOf(tsMs: number, windowMs: number): number {
  return Math.floor(tsMs / windowMs) * windowMs;
}

export function emptyWindowValues(): WindowValues {
  return { temperature: [], humidity: [], pressure: [], battery: [], vibration: [] };
}

export function addToWindow(values: WindowValues, metrics: SensorMetrics): void {
  for (const name of SENSOR_METRIC_NAMES) values[name].push(metrics[name]);
}

/**
 * Summarises a window's values. The sum runs over the sorted values, so the mean (a float sum)
 * depends only on which readings the window holds, not on the order they arrived in.
 */
export function aggregateMetric(values: readonly number[]): MetricAggregate {
  if (values.length === 0) throw new RangeError('cannot aggregate an empty window');
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1] as number;
  return { min: sorted[0] as number, max: sorted.at(-1) as number, mean: sum / sorted.length, p95 };
}

export function aggregateWindow(
  deviceId: string,
  windowStart: number,
  windowMs: number,
  values: WindowValues,
): WindowAggregate {
  const metrics = {} as Record<SensorMetricName, MetricAggregate>;
  for (const name of SENSOR_METRIC_NAMES) metrics[name] = aggregateMetric(values[name]);
  return {
    deviceId,
    windowStart,
    windowEnd: windowStart + windowMs,
    count: values.temperature.length,
    metrics,
  };
}

/**
 * Event-time rule, per device: the watermark is the largest event time seen from the device minus
 * the allowed lateness. A window is open while its end is after the watermark; a reading whose
 * window is no longer open is too late (kept raw, left out of aggregates). Per device (not per
 * batch or partition) so the outcome depends only on the device's own order in Kafka, never on how
 * records were cut into micro-batches.
 */
export function isWindowOpen(windowEnd: number, maxEventTs: number, allowedLatenessMs: number): boolean {
  return windowEnd > maxEventTs - allowedLatenessMs;
}

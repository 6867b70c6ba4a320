import type { SensorMetricName } from '@streamkit/schemas';

export interface AnomalySettings {
  /** |z| above this raises a "zscore" alert (when the deviation also passes the metric's floor). */
  readonly zThreshold: number;
  /** Readings a metric needs before its z-score is trusted (the fixed limits apply from the first). */
  readonly warmupReadings: number;
  /** Weight of the newest reading in the rolling mean and variance (once past 1/alpha readings). */
  readonly alpha: number;
  /**
   * Smallest deviation from the rolling mean that can raise a "zscore" alert, per metric, in the
   * metric's unit. A z-score alone flags sensor noise on a quiet metric: a battery reported to
   * 0.1 % barely varies, so 72.8 against 72.9 was "4 standard deviations".
   */
  readonly minDeviation: Partial<Record<SensorMetricName, number>>;
  /** Consecutive normal readings that end an anomaly episode (until then no new "zscore" alert). */
  readonly clearReadings: number;
  /** Outliers in a row after which their level is taken as the new normal (learnt again). */
  readonly relearnReadings: number;
  /** Identical consecutive readings that mean a stuck sensor. */
  readonly stuckReadings: number;
  /**
   * Readings missing before a device's next one (a gap in its `seq`) that mean it was offline. Late
   * readings leave gaps too until they arrive: with 1 % of readings late, 3 in a row happen about
   * once in a million readings (measured: 1 false alarm in 6 demo hours at 3, none at 4).
   */
  readonly offlineMissedReadings: number;
  /** Fixed limits: crossing one raises a "threshold" alert (once per crossing). */
  readonly limits: Partial<Record<SensorMetricName, { readonly above?: number; readonly below?: number }>>;
}

/**
 * Chosen by `pnpm --filter @streamkit/iot quality` on the demo's fleet (apps/iot/README.md has the
 * figures): floors well above each metric's healthy noise and well below the smallest injected
 * fault (spikes: +25 °C, ±60 hPa, 15× the vibration; a draining battery loses 1.5 % a reading).
 */
export const defaultAnomalySettings: AnomalySettings = Object.freeze({
  zThreshold: 4,
  warmupReadings: 5,
  alpha: 0.05,
  minDeviation: { temperature: 10, humidity: 10, pressure: 20, battery: 5, vibration: 4 },
  clearReadings: 3,
  relearnReadings: 300,
  stuckReadings: 10,
  offlineMissedReadings: 4,
  limits: { temperature: { above: 90 }, battery: { below: 10 }, vibration: { above: 200 } },
});

export function validateAnomalySettings(s: AnomalySettings): AnomalySettings {
  const problems: string[] = [];
  if (!(s.zThreshold > 0)) problems.push(`zThreshold must be > 0, got ${s.zThreshold}`);
  if (!Number.isInteger(s.warmupReadings) || s.warmupReadings < 2)
    problems.push('warmupReadings must be an integer >= 2');
  if (!(s.alpha > 0 && s.alpha < 1)) problems.push(`alpha must be in (0, 1), got ${s.alpha}`);
  for (const [metric, floor] of Object.entries(s.minDeviation))
    if (!(floor >= 0)) problems.push(`minDeviation.${metric} must be >= 0, got ${floor}`);
  if (!Number.isInteger(s.clearReadings) || s.clearReadings < 1)
    problems.push('clearReadings must be an integer >= 1');
  if (!Number.isInteger(s.relearnReadings) || s.relearnReadings < 1)
    problems.push('relearnReadings must be an integer >= 1');
  if (!Number.isInteger(s.stuckReadings) || s.stuckReadings < 2)
    problems.push('stuckReadings must be an integer >= 2');
  if (!Number.isInteger(s.offlineMissedReadings) || s.offlineMissedReadings < 1)
    problems.push('offlineMissedReadings must be an integer >= 1');
  if (problems.length > 0) throw new RangeError(`invalid anomaly settings: ${problems.join('; ')}`);
  return s;
}

import type { SensorMetrics, SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import {
  type DeviceStats,
  defaultAnomalySettings,
  detectAnomalies,
  validateAnomalySettings,
} from '../src/processor/anomaly.ts';

const BASE = Date.parse('2026-05-01T00:00:00Z');
const healthy: SensorMetrics = {
  temperature: 21,
  humidity: 45,
  pressure: 1013,
  battery: 72.9,
  vibration: 1.2,
};

/** Feeds readings (seq = index unless given) and returns each one's alerts. */
function feed(stats: DeviceStats, metrics: readonly Partial<SensorMetrics>[], seqs?: readonly number[]) {
  return metrics.map((m, i) => {
    const seq = seqs?.[i] ?? i;
    const reading: SensorReading = {
      deviceId: 'anomaly-dev',
      seq,
      ts: new Date(BASE + seq * 2000).toISOString(),
      metrics: { ...healthy, ...m },
    };
    return detectAnomalies(reading, stats, defaultAnomalySettings, reading.ts);
  });
}

/** Small healthy noise on every sensor that can get stuck (the battery holds its value). */
const noisy = (i: number): Partial<SensorMetrics> => ({
  temperature: 21 + ((i * 7) % 5) / 10,
  humidity: 45 + ((i * 3) % 4) / 10,
  pressure: 1013 + ((i * 5) % 3) / 10,
  vibration: 1.2 + ((i * 11) % 6) / 100,
});

describe('anomaly detection', () => {
  it('applies the fixed limits to a device’s first reading', () => {
    const [first] = feed({}, [{ temperature: 130 }]);
    expect(first).toMatchObject([{ kind: 'threshold', metric: 'temperature', value: 130, threshold: 90 }]);
    expect(first?.[0]?.message).toBe('temperature 130 above 90');
  });

  it('keeps quiet about sensor noise on a quiet metric: battery 72.8 after 72.9', () => {
    const stats: DeviceStats = {};
    // a slowly draining battery reported to 0.1 %: 73.0 for a minute, 72.9 for one, then 72.8
    const battery = (i: number) => (i < 30 ? 73 : i < 59 ? 72.9 : 72.8);
    const readings = Array.from({ length: 60 }, (_, i) => ({ ...noisy(i), battery: battery(i) }));
    expect(feed(stats, readings).flat()).toEqual([]);
  });

  it('raises one alert per episode, and again once the metric was back to normal', () => {
    const stats: DeviceStats = {};
    const warm = Array.from({ length: 30 }, (_, i) => noisy(i));
    const off = Array.from({ length: 8 }, (_, i) => ({ ...noisy(i), pressure: 950 }));
    const back = Array.from({ length: 5 }, (_, i) => noisy(i));
    const alerts = feed(stats, [...warm, ...off, ...back, { ...noisy(1), pressure: 940 }]);
    const raised = alerts.flatMap((a, i) => a.map((x) => ({ i, kind: x.kind, metric: x.metric })));
    expect(raised).toEqual([
      { i: 30, kind: 'zscore', metric: 'pressure' },
      { i: 43, kind: 'zscore', metric: 'pressure' },
    ]);
    // the anomalous readings did not move the statistics: the return to normal raised nothing
    expect(stats.pressure?.mean).toBeCloseTo(1013.1, 0);
  });

  it('judges z-scores only after the warm-up, and one alert per reading and metric past a limit', () => {
    expect(feed({}, [{}, {}, {}, { temperature: 60 }]).flat()).toEqual([]);
    const stats: DeviceStats = {};
    const alerts = feed(stats, [...Array.from({ length: 10 }, (_, i) => noisy(i)), { temperature: 95 }]);
    expect(alerts.at(-1)?.map((a) => a.kind)).toEqual(['threshold']);
  });

  it('finds a stuck sensor even when a late reading arrives in the middle of the run', () => {
    const stats: DeviceStats = {};
    const warm = Array.from({ length: 19 }, (_, i) => noisy(i)); // seq 0..18
    const stuck = (i: number) => ({ ...noisy(i), humidity: 47.3 }); // seq 20..31: 12 equal readings
    // seq 19, from before the sensor stuck, is delivered late, after seq 24
    const seqs = [...warm.keys(), 20, 21, 22, 23, 24, 19, 25, 26, 27, 28, 29, 30, 31, 32];
    const metrics = [
      ...warm,
      ...[0, 1, 2, 3, 4].map(stuck),
      { ...noisy(19), humidity: 44.1 },
      ...[5, 6, 7, 8, 9, 10, 11].map(stuck),
      noisy(32),
    ];
    const alerts = feed(stats, metrics, seqs).flat();
    expect(alerts.map((a) => `${a.kind}/${a.metric} ${a.message}`)).toEqual([
      'stuck/humidity humidity stuck at 47.3 for 10 readings',
    ]);
  });

  it('raises offline for a gap of 4 or more readings, not for late readings', () => {
    const stats: DeviceStats = {};
    // seq 0..9, then 10..14 never sent (offline), 15..19; 21 and 22 arrive late, after 23
    const seqs = [...Array.from({ length: 10 }, (_, i) => i), 15, 16, 17, 18, 19, 20, 23, 21, 22, 24];
    const alerts = feed(
      stats,
      seqs.map((seq) => noisy(seq)),
      seqs,
    ).flat();
    expect(alerts).toMatchObject([
      {
        kind: 'offline',
        metric: 'missedReadings',
        value: 5,
        threshold: 4,
        ts: new Date(BASE + 15 * 2000).toISOString(),
        message: 'no readings for 12 s: 5 missed (seq 9 to 15)',
      },
    ]);
    expect(stats.newest).toEqual({ seq: 24, ts: BASE + 24 * 2000 });
    // a device that restarted its counter: seq goes back while time goes on, no gap
    const restarted = (seq: number, tsMs: number): SensorReading => ({
      deviceId: 'anomaly-dev',
      seq,
      ts: new Date(tsMs).toISOString(),
      metrics: { ...healthy, ...noisy(seq) },
    });
    for (const [seq, tsMs] of [
      [0, BASE + 60_000],
      [1, BASE + 62_000],
    ] as const)
      expect(detectAnomalies(restarted(seq, tsMs), stats, defaultAnomalySettings, '')).toEqual([]);
    expect(stats.newest).toEqual({ seq: 1, ts: BASE + 62_000 });
  });

  it('reads statistics written before episodes existed', () => {
    const stats: DeviceStats = { temperature: { n: 50, mean: 21, variance: 0.04, last: 21.1, repeats: 1 } };
    expect(feed(stats, [{ temperature: 45 }]).flat()).toMatchObject([
      { kind: 'zscore', metric: 'temperature' },
    ]);
    expect(stats.temperature).toMatchObject({ calm: 0, held: 1, n: 50, mean: 21 });
  });

  it('rejects nonsense settings, naming each', () => {
    expect(() =>
      validateAnomalySettings({
        ...defaultAnomalySettings,
        minDeviation: { battery: -1 },
        clearReadings: 0,
        relearnReadings: 0.5,
      }),
    ).toThrow(/minDeviation.battery.*clearReadings.*relearnReadings/);
  });
});

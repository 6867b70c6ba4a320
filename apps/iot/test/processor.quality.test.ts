import type { IotAlert, SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { deliveryOrder } from '../src/devices/delivery.ts';
import { QUALITY_BAR } from '../src/quality/format.ts';
import {
  defaultQualitySettings,
  qualityFleet,
  runAnomalyQuality,
  scoreRun,
} from '../src/quality/run-quality.ts';
import type { ScoredAlert } from '../src/quality/score-alerts.ts';
import { useProcessorEnv } from './processor.harness.ts';

const env = useProcessorEnv('iot-quality');

/** The demo's fleet (200 devices every 2 s, its fault rate, 1 % late), its first 30 minutes. */
const settings = { ...defaultQualitySettings, hours: 0.5 };
const TEN_YEARS_MS = String(3650 * 86_400_000);
const processorOverrides = {
  // fewer, larger micro-batches than the harness's default: 180,000 readings go through
  PROCESSOR_TRIGGER_MAX_RECORDS: '20000',
  PROCESSOR_MAX_RUN_SIZE: '5000',
  // the run is dated 2026-05-01: the retention must not prune it under the test
  LAKE_RAW_RETENTION_MS: TEN_YEARS_MS,
  LAKE_WINDOWS_RETENTION_MS: TEN_YEARS_MS,
  LAKE_ALERTS_RETENTION_MS: TEN_YEARS_MS,
};

interface AlertRow {
  alert_id: string;
  device_id: string;
  ts_ms: number;
  kind: IotAlert['kind'];
  metric: string;
  value: number;
  message: string;
}

const send = async (readings: readonly SensorReading[]) => {
  for (let i = 0; i < readings.length; i += 5000)
    await env().producer.send(
      env().topics.telemetry,
      readings.slice(i, i + 5000).map((value) => ({ value })),
    );
};

/** Readings the processor has committed (its checkpoint over the telemetry partitions). */
const committed = async () => {
  const { rows } = await env().pool.query<{ n: string }>(
    'SELECT coalesce(sum(next_offset), 0)::text AS n FROM iot_lake_progress WHERE topic = $1',
    [env().topics.telemetry.name],
  );
  return Number(rows[0]?.n);
};

describe('anomaly quality through the processor', () => {
  it('the demo’s fleet through Kafka, the processor (restarted halfway) and the lake: precision ≥ 0.8 at recall ≥ 0.9, first minutes too', async () => {
    const { fleet, ticks } = qualityFleet(settings);
    const readings = [...deliveryOrder(fleet, 0, ticks, settings.delivery)].flatMap((t) =>
      t.deliveries.map((d) => d.reading),
    );
    // the same readings straight through the detector, in the same order: the reference
    const reference = runAnomalyQuality(settings);
    expect(reference.readings).toBe(readings.length);

    // the first half, then a restart (the statistics come back from Postgres), then the rest
    const half = Math.floor(readings.length / 2);
    await send(readings.slice(0, half));
    const first = await env().startProcessor(processorOverrides);
    await expect.poll(committed, { timeout: 180_000, interval: 500 }).toBe(half);
    await first.stop();
    await env().startProcessor(processorOverrides);
    await send(readings.slice(half));
    await expect.poll(committed, { timeout: 180_000, interval: 500 }).toBe(readings.length);

    const rows = await env().queryLake<AlertRow>(
      'SELECT alert_id, device_id, ts_ms::DOUBLE AS ts_ms, kind, metric, value, message FROM alerts',
    );
    const { startMs, fleet: fleetSettings } = settings;
    const lakeAlerts: ScoredAlert[] = rows.map((r) => ({
      alert: {
        alertId: r.alert_id,
        deviceId: r.device_id,
        ts: new Date(r.ts_ms).toISOString(),
        kind: r.kind,
        metric: r.metric,
        value: r.value,
        message: r.message,
        createdAt: new Date(r.ts_ms).toISOString(),
      },
      seq: (r.ts_ms - startMs) / fleetSettings.intervalMs,
    }));
    // every alert once, the very alerts the detector raises on the same stream without Kafka,
    // micro-batches or a restart between them
    expect(lakeAlerts.map((a) => a.alert.alertId).sort()).toEqual(
      reference.alerts.map((a) => a.alert.alertId).sort(),
    );

    const { whole, warmup } = scoreRun(lakeAlerts, fleet.faultsBetween(0, ticks), settings);
    console.log(
      `through the processor, demo fleet ${settings.hours * 60} min, ${readings.length} readings: precision ${whole.precision.toFixed(3)}, recall ${whole.recall.toFixed(3)}, ${whole.alertsPerDeviceHour.toFixed(2)} alerts/device-hour; first ${settings.warmupMinutes} min: precision ${warmup.precision.toFixed(3)}, recall ${warmup.recall.toFixed(3)}`,
    );
    for (const score of [whole, warmup]) {
      expect(score.precision).toBeGreaterThanOrEqual(QUALITY_BAR.precision);
      expect(score.recall).toBeGreaterThanOrEqual(QUALITY_BAR.recall);
    }
    // every kind of fault was injected and found, and the first minutes had faults of each kind
    for (const kind of Object.values(whole.byKind)) {
      expect(kind.labelled).toBeGreaterThanOrEqual(8);
      expect(kind.recall).toBeGreaterThanOrEqual(QUALITY_BAR.recall);
    }
    expect(Object.values(warmup.byKind).every((k) => k.labelled > 0)).toBe(true);
  }, 420_000);
});

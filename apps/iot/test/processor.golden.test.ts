import { SENSOR_METRIC_NAMES, type SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';
import { type ReferenceWindow, referenceOf } from './processor.reference.ts';
import { readLiveWindows } from './support/live-windows.ts';

const env = useProcessorEnv('iot-golden');

/** Each device: 240 readings 1 s apart, neighbours swapped now and then, some late ones, then a sentinel far ahead. */
function goldenReadings(devices: number): SensorReading[] {
  const out: SensorReading[] = [];
  for (let d = 0; d < devices; d++) {
    const id = `golden-dev-${d}`;
    const own: SensorReading[] = [];
    let seq = 0;
    for (let i = 0; i < 240; i++) {
      own.push(reading(id, seq++, BASE_MS + i * 1000 + d * 7, 20 + ((i * 37 + d * 11) % 50) / 10));
      // within lateness: 70 s old (its window may already be past, but not by more than the lateness)
      if (i % 50 === 49) own.push(reading(id, seq++, BASE_MS + (i - 70) * 1000 + 3, 30.5));
      // beyond lateness: 200 s old — counted, kept raw, left out of aggregates
      if (i % 80 === 79 && i > 200) own.push(reading(id, seq++, BASE_MS + (i - 200) * 1000 + 5, 99));
    }
    for (let i = 5; i + 1 < own.length; i += 9) {
      const a = own[i] as SensorReading;
      own[i] = own[i + 1] as SensorReading;
      own[i + 1] = a;
    }
    own.push(reading(id, seq++, BASE_MS + 3_600_000, 21));
    out.push(...own);
  }
  return out;
}

describe('processor golden run', () => {
  it('lake raw rows and window aggregates, and the Postgres live table, equal a reference computed from the input', async () => {
    const input = goldenReadings(6);
    const settings = env().settings();
    const reference = referenceOf(input, settings.windowMs, settings.allowedLatenessMs);
    const lateCount = [...reference.late.values()].filter(Boolean).length;
    expect(lateCount).toBeGreaterThan(0);

    // in chunks, so the run spans many micro-batches
    for (let i = 0; i < input.length; i += 150) {
      await env().producer.send(
        env().topics.telemetry,
        input.slice(i, i + 150).map((value) => ({ value })),
      );
    }
    await env().startProcessor();

    const closed = reference.windows.filter((w) => w.closed);
    await expect
      .poll(() => env().countLake('SELECT count(*)::INTEGER AS n FROM windows'), {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(closed.length);
    await expect
      .poll(() => env().countLake('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 30_000 })
      .toBe(input.length);

    const raw = await env().queryLake<{
      device_id: string;
      seq: number;
      ts_ms: number;
      late: boolean;
      temperature: number;
    }>(
      'SELECT device_id, seq::INTEGER AS seq, ts_ms::DOUBLE AS ts_ms, late, temperature FROM raw ORDER BY device_id, seq',
    );
    const expectedRaw = [...input]
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.seq - b.seq)
      .map((r) => ({
        device_id: r.deviceId,
        seq: r.seq,
        ts_ms: Date.parse(r.ts),
        late: reference.late.get(`${r.deviceId}#${r.seq}`),
        temperature: r.metrics.temperature,
      }));
    expect(raw).toEqual(expectedRaw);

    const columns = SENSOR_METRIC_NAMES.flatMap((m) => [
      `${m}_min`,
      `${m}_max`,
      `${m}_mean`,
      `${m}_p95`,
    ]).join(', ');
    const lakeWindows = await env().queryLake<Record<string, number | string>>(
      `SELECT device_id, window_start_ms::DOUBLE AS window_start_ms, reading_count, ${columns} FROM windows ORDER BY device_id, window_start_ms`,
    );
    expect(lakeWindows.map(lakeToReference)).toEqual(closed.map((w) => ({ ...w, closed: true })));

    expect(await readLiveWindows(env().pool)).toEqual(reference.windows);

    const dropped = await env().pool.query<{ n: string }>(
      'SELECT coalesce(sum(dropped), 0) AS n FROM iot_late_readings',
    );
    expect(Number(dropped.rows[0]?.n)).toBe(lateCount);
  });
});

function lakeToReference(row: Record<string, number | string>): ReferenceWindow {
  return {
    deviceId: row.device_id as string,
    windowStartMs: row.window_start_ms as number,
    count: row.reading_count as number,
    metrics: Object.fromEntries(
      SENSOR_METRIC_NAMES.map((m) => [
        m,
        [row[`${m}_min`], row[`${m}_max`], row[`${m}_mean`], row[`${m}_p95`]] as [
          number,
          number,
          number,
          number,
        ],
      ]),
    ),
    closed: true,
  };
}

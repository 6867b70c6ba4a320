import type { SensorReading } from '@streamkit/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsKeyHeaders } from './analytics.support.ts';
import { type PipelineEnv, startPipeline } from './pipeline.support.ts';
import { reading } from './processor.harness.ts';
import { referenceOf } from './processor.reference.ts';
import { readLiveWindows } from './support/live-windows.ts';

let env: PipelineEnv;
const BASE = Date.parse('2026-04-01T08:00:00.000Z');

beforeAll(async () => {
  env = await startPipeline('iot-e2e');
  for (const id of ['e2e-a', 'e2e-b']) await env.harness.registry.register(id, {});
});
afterAll(async () => {
  await env?.close();
});

const lakeCount = async (sql: string) => Number((await env.lake.query(sql))[0]?.n ?? -1);

describe('IoT pipeline end to end (MQTT → hub → Kafka → processor → Postgres + Parquet lake → DuckDB)', () => {
  it('turns readings published over MQTT into correct aggregates in Postgres and in the lake, with late readings handled', async () => {
    const sent: SensorReading[] = [];
    for (const id of ['e2e-a', 'e2e-b']) {
      for (let i = 0; i < 150; i++) sent.push(reading(id, i, BASE + i * 1000, 20 + (i % 9) / 3));
      // 70 s behind the device's newest reading: its window is still open (lateness 60 s) → updates it
      sent.push(reading(id, 150, BASE + 80_000 + 500, 24.25));
      // far behind: its window closed → counted, kept raw, left out of the aggregates
      sent.push(reading(id, 151, BASE + 1_000, 99));
      // moves the watermark on so the first windows close and reach the lake
      sent.push(reading(id, 152, BASE + 400_000, 21));
    }
    for (const r of sent) await env.publish(r);
    // an unknown device and a malformed payload
    await env.publish(reading('e2e-ghost', 0, BASE, 20));
    await env.publish('{"deviceId":"e2e-a","ts":"yesterday"}', 'e2e-a');

    const reference = referenceOf(sent, env.settings.windowMs, env.settings.allowedLatenessMs);
    await expect
      .poll(() => lakeCount('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 60_000, interval: 200 })
      .toBe(sent.length);
    const closed = reference.windows.filter((w) => w.closed);
    await expect
      .poll(() => lakeCount('SELECT count(*)::INTEGER AS n FROM windows'), { timeout: 30_000 })
      .toBe(closed.length);

    // late readings: within lateness updated its window, beyond it is counted and flagged
    expect([...reference.late.values()].filter(Boolean)).toHaveLength(2);
    const late = await env.lake.query('SELECT device_id, seq FROM raw WHERE late ORDER BY device_id');
    expect(late).toEqual([
      { device_id: 'e2e-a', seq: '151' },
      { device_id: 'e2e-b', seq: '151' },
    ]);
    // the batch's raw file is in the lake before its Postgres transaction commits: wait for that too
    const droppedRows = async () =>
      (
        await env.harness.pool.query<{ device_id: string; dropped: string }>(
          'SELECT device_id, dropped FROM iot_late_readings ORDER BY device_id',
        )
      ).rows;
    await expect.poll(droppedRows, { timeout: 10_000 }).toEqual([
      { device_id: 'e2e-a', dropped: '1' },
      { device_id: 'e2e-b', dropped: '1' },
    ]);
    const updated = reference.windows.find(
      (w) => w.deviceId === 'e2e-a' && w.windowStartMs === BASE + 60_000,
    );
    expect(updated?.count).toBe(61);

    // Postgres live table = reference (open windows included)
    expect(await readLiveWindows(env.harness.pool)).toEqual(reference.windows);

    // the lake through DuckDB, via the analytics API
    const series = await env.analytics.inject({
      headers: analyticsKeyHeaders,
      url: `/api/devices/e2e-a/series?from=${new Date(BASE).toISOString()}&to=${new Date(BASE + 3_600_000).toISOString()}`,
    });
    const windows = series.json().windows as {
      reading_count: number;
      temperature_mean: number;
      temperature_p95: number;
    }[];
    const closedA = closed.filter((w) => w.deviceId === 'e2e-a');
    expect(windows.map((w) => [w.reading_count, w.temperature_mean, w.temperature_p95])).toEqual(
      closedA.map((w) => [w.count, w.metrics.temperature?.[2], w.metrics.temperature?.[3]]),
    );

    // unknown device rejected and counted; malformed payload counted and dead-lettered
    expect(await lakeCount("SELECT count(*)::INTEGER AS n FROM raw WHERE device_id = 'e2e-ghost'")).toBe(0);
    await expect
      .poll(() => env.hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'invalid' }))
      .toBe(1);
    const rejected = await env.hub.metrics.getSingleMetric('iot_hub_readings_total')?.get();
    const notAccepted = rejected?.values.filter(
      (v) => v.labels.channel === 'mqtt' && !['accepted', 'invalid'].includes(String(v.labels.outcome)),
    );
    expect(notAccepted?.reduce((n, v) => n + v.value, 0)).toBe(1);
    const dlq = await env.harness.admin.readTopic(`${env.harness.topics.telemetry.name}.dlq`);
    expect(dlq).toHaveLength(1);
  });
});

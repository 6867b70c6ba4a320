import type { RunningService } from '@streamkit/runtime';
import { describe, expect, it } from 'vitest';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';

const env = useProcessorEnv('iot-limits');

interface AlertRow {
  device_id: string;
  ts_ms: number;
  kind: string;
  message: string;
}

/** The alerts in the lake (no `alerts` view until the first batch with an alert is written). */
const lakeAlerts = () =>
  env()
    .queryLake<AlertRow>(
      'SELECT device_id, ts_ms::DOUBLE AS ts_ms, kind, message FROM alerts ORDER BY device_id, ts_ms',
    )
    .catch((error: Error) => {
      if (/alerts does not exist/.test(error.message)) return [];
      throw error;
    });

const send = (...readings: ReturnType<typeof reading>[]) =>
  env().producer.send(
    env().topics.telemetry,
    readings.map((value) => ({ value })),
  );

describe('fixed limits', () => {
  it('apply from a device’s first reading, before and after a restart of the processor', async () => {
    let processor: RunningService<unknown, unknown> = await env().startProcessor();
    // a device whose very first reading is 130 °C, and one that reads 20 °C for a while
    await send(
      reading('lim-new-1', 0, BASE_MS, 130),
      ...Array.from({ length: 10 }, (_, i) => reading('lim-old-2', i, BASE_MS + i * 2000, 20 + (i % 3) / 10)),
    );
    await expect
      .poll(lakeAlerts, { timeout: 30_000 })
      .toEqual([
        { device_id: 'lim-new-1', ts_ms: BASE_MS, kind: 'threshold', message: 'temperature 130 above 90' },
      ]);

    // restart: the statistics come back from Postgres
    await processor.stop();
    processor = await env().startProcessor();
    await send(
      // a device first seen after the restart
      reading('lim-new-3', 0, BASE_MS + 30_000, 125),
      // still above the limit: the same crossing, no second alert
      reading('lim-new-1', 1, BASE_MS + 2000, 131),
      // a known device crossing now
      reading('lim-old-2', 10, BASE_MS + 20_000, 95),
    );
    await expect.poll(lakeAlerts, { timeout: 30_000 }).toEqual(
      [
        { device_id: 'lim-new-1', ts_ms: BASE_MS, kind: 'threshold', message: 'temperature 130 above 90' },
        {
          device_id: 'lim-new-3',
          ts_ms: BASE_MS + 30_000,
          kind: 'threshold',
          message: 'temperature 125 above 90',
        },
        {
          device_id: 'lim-old-2',
          ts_ms: BASE_MS + 20_000,
          kind: 'threshold',
          message: 'temperature 95 above 90',
        },
      ].sort((a, b) => a.device_id.localeCompare(b.device_id)),
    );
    // once every reading is in the lake, lim-new-1's second reading was judged too: it raised nothing
    const rawRows = () => env().countLake('SELECT count(*)::INTEGER AS n FROM raw');
    await expect.poll(rawRows, { timeout: 30_000 }).toBe(14);
    expect(await lakeAlerts()).toHaveLength(3);
    await processor.stop();
  });
});

import type { SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { BASE_MS, fleetReadings, reading, useProcessorEnv } from './processor.harness.ts';
import { referenceOf } from './processor.reference.ts';
import { readLiveWindows } from './support/live-windows.ts';

const env = useProcessorEnv('iot-duplicates');

const count = (sql: string) => env().countLake(sql);

describe('processor: readings produced to Kafka twice (the hub is at least once)', () => {
  it('writes each reading once to the lake and counts it once in the windows, whether the copy comes in the same batch or long after', async () => {
    const devices = 8;
    const perDevice = 120;
    const unique = fleetReadings('dup-dev', devices, perDevice, 1000, (i, d) => 20 + ((i * 7 + d) % 30) / 10);
    const send = (readings: readonly SensorReading[]) =>
      env().producer.send(
        env().topics.telemetry,
        readings.map((value) => ({ value })),
      );
    const half = unique.length / 2;
    // a hub that lost its connection: the broker resends what was unacknowledged, in order
    await send([...unique.slice(0, half), ...unique.slice(half - 100, half)]);
    await env().startProcessor();
    await expect.poll(() => count('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 60_000 }).toBe(half);
    // later, in another micro-batch: copies of readings the checkpoint holds, then new ones
    await send([...unique.slice(half - 300, half - 200), ...unique.slice(half)]);
    await expect
      .poll(() => count('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 60_000 })
      .toBe(unique.length);
    expect(await count('SELECT count(DISTINCT (device_id, seq))::INTEGER AS n FROM raw')).toBe(unique.length);

    const settings = env().settings();
    const reference = referenceOf(unique, settings.windowMs, settings.allowedLatenessMs);
    expect(await readLiveWindows(env().pool)).toEqual(reference.windows);
    // a sentinel far ahead closes every window: the lake's windows count each reading once
    await send([reading('dup-dev-0', perDevice, BASE_MS + 3_600_000, 20)]);
    const closedCounts = reference.windows
      .filter((w) => w.deviceId === 'dup-dev-0')
      .reduce((n, w) => n + w.count, 0);
    await expect
      .poll(
        () =>
          count(
            `SELECT coalesce(sum(reading_count), 0)::INTEGER AS n FROM windows WHERE device_id = 'dup-dev-0'`,
          ),
        { timeout: 60_000 },
      )
      .toBe(closedCounts);
    // everything before the sentinel was applied by now: no copy came late
    expect(await count('SELECT count(*)::INTEGER AS n FROM raw')).toBe(unique.length + 1);
  });
});

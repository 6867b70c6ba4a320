// A reading dated 2099 reaching the telemetry topic (not through the hub): the processor
// dead-letters it with the reason, and the device's watermark, its later readings, the lake and the
// live table are what a reference computed without it says.
import { dlqHeaders } from '@streamkit/kafka';
import type { SensorReading } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';
import { referenceOf } from './processor.reference.ts';
import { readLiveWindows } from './support/live-windows.ts';

const infra = inject('infrastructure');
const env = useProcessorEnv('iot-future');
let admin: KafkaTestAdmin;

beforeAll(async () => {
  admin = await createKafkaTestAdmin(infra.kafkaBrokers);
});
afterAll(async () => {
  await admin?.disconnect();
});

describe('processor and a far-future reading', () => {
  it('dead-letters it with the reason; the watermark, later readings, lake and live table are unaffected', async () => {
    const hostile = reading('future-dev-0', 1000, Date.UTC(2099, 0, 1), 99);
    const input: SensorReading[] = [];
    for (let d = 0; d < 2; d++) {
      const id = `future-dev-${d}`;
      for (let i = 0; i < 180; i++) {
        input.push(reading(id, i, BASE_MS + i * 1000 + d * 13, 20 + (i % 40) / 10));
        // dev-0's 2099 reading in the middle: had it pinned the watermark, the rest would be late
        if (id === hostile.deviceId && i === 90) input.push(hostile);
      }
    }
    const accepted = input.filter((r) => r !== hostile);
    await env().producer.send(
      env().topics.telemetry,
      input.map((value) => ({ value })),
    );
    await env().startProcessor();

    const settings = env().settings();
    const reference = referenceOf(accepted, settings.windowMs, settings.allowedLatenessMs);
    expect([...reference.late.values()].some(Boolean)).toBe(false);
    await expect
      .poll(() => env().countLake('SELECT count(*)::INTEGER AS n FROM raw'), {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(accepted.length);
    const dlq = `${env().topics.telemetry.name}.dlq`;
    await waitFor(async () => (await admin.readTopic(dlq)).length === 1, {
      timeoutMs: 30_000,
      message: 'the 2099 reading is dead-lettered',
    });
    const [dead] = await admin.readTopic(dlq);
    expect(JSON.parse(dead?.value ?? 'null')).toEqual(hostile);
    expect(dead?.headers[dlqHeaders.errorKind]).toBe('poison');
    expect(dead?.headers[dlqHeaders.reason]).toMatch(
      /reading ts must not lie more than 300000 ms in the future/,
    );

    const raw = await env().queryLake<{ device_id: string; seq: number; late: boolean }>(
      'SELECT device_id, seq::INTEGER AS seq, late FROM raw ORDER BY device_id, seq',
    );
    expect(raw).toEqual(
      [...accepted]
        .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.seq - b.seq)
        .map((r) => ({ device_id: r.deviceId, seq: r.seq, late: false })),
    );
    const state = await env().pool.query<{ device_id: string; max_event_ts_ms: string }>(
      'SELECT device_id, max_event_ts_ms FROM iot_device_state ORDER BY device_id',
    );
    expect(state.rows.map((r) => [r.device_id, Number(r.max_event_ts_ms)])).toEqual(
      ['future-dev-0', 'future-dev-1'].map((id) => [
        id,
        Math.max(...accepted.filter((r) => r.deviceId === id).map((r) => Date.parse(r.ts))),
      ]),
    );
    expect(await readLiveWindows(env().pool)).toEqual(reference.windows);
    const dropped = await env().pool.query<{ n: string }>(
      'SELECT coalesce(sum(dropped), 0) AS n FROM iot_late_readings',
    );
    expect(Number(dropped.rows[0]?.n)).toBe(0);
  });
});

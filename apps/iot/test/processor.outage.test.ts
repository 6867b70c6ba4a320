// The lake directory becomes unwritable under the processor (mode 0500, or the immutable flag as
// root): readings wait, /health says why, nothing is dead-lettered, and once it is writable again
// every reading is in the lake exactly once.
import type { HealthReport } from '@streamkit/runtime';
import {
  createKafkaTestAdmin,
  type KafkaTestAdmin,
  type LockedDirectory,
  lockDirectory,
  sampleValue,
} from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';

const infra = inject('infrastructure');
const env = useProcessorEnv('iot-outage');
let admin: KafkaTestAdmin;
let lock: LockedDirectory | undefined;

beforeAll(async () => {
  admin = await createKafkaTestAdmin(infra.kafkaBrokers);
});
afterAll(async () => {
  await lock?.unlock();
  await admin?.disconnect();
});

describe('processor while its lake directory is not writable', () => {
  it('waits with /health degraded, dead-letters nothing, and writes every reading once after', async () => {
    const readings = Array.from({ length: 120 }, (_, i) =>
      reading(`outage-dev-${i % 4}`, i >> 2, BASE_MS + i * 500, 20),
    );
    // a reading an hour later per device closes its windows (the lake's `windows` table then exists)
    const sentinels = [0, 1, 2, 3].map((d) => reading(`outage-dev-${d}`, 1000, BASE_MS + 3_600_000, 21));
    const input = [...readings, ...sentinels];
    lock = await lockDirectory(env().lakeDir);
    const service = await env().startProcessor();
    const health = async () => {
      const response = await fetch(`${service.address}/health`);
      return { status: response.status, body: (await response.json()) as HealthReport };
    };
    try {
      await env().producer.send(
        env().topics.telemetry,
        input.map((value) => ({ value })),
      );
      await expect
        .poll(async () => (await health()).body.checks.consumer?.error ?? '', { timeout: 60_000 })
        .toMatch(new RegExp(`^waiting on infrastructure since .*${lock.code}`));
      const during = await health();
      expect(during.status).toBe(503);
      expect(during.body.status).toBe('degraded');
      expect(during.body.checks.postgres?.status).toBe('ok');
      const metrics = await (await fetch(`${service.address}/metrics`)).text();
      expect(
        sampleValue(metrics, 'streamkit_consumer_transient_failures_total', {
          topic: env().topics.telemetry.name,
          reason: lock.code,
        }),
      ).toBeGreaterThan(0);
    } finally {
      await lock.unlock();
      lock = undefined;
    }

    await expect
      .poll(() => env().countLake('SELECT count(*)::INTEGER AS n FROM raw'), {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(input.length);
    expect(await env().countLake('SELECT count(DISTINCT (device_id, seq))::INTEGER AS n FROM raw')).toBe(
      input.length,
    );
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
    expect(await admin.readTopic(`${env().topics.telemetry.name}.dlq`)).toEqual([]);
  });
});

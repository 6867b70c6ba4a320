import type { SensorReading } from '@streamkit/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet } from '../src/devices/fleet.ts';
import { createReadingPublisher } from '../src/devices/publisher.ts';
import { registerFleet } from '../src/devices/registration.ts';
import { runSimulator } from '../src/devices/simulator.ts';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';

describe('device simulator → MQTT → hub → Kafka', () => {
  let harness: HubHarness;
  let hub: HubInstance;
  let hubUrl: string;

  beforeAll(async () => {
    harness = await createHubHarness('devices-publish');
    hub = await harness.startInstance();
    hubUrl = hub.address;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('registers the fleet with the hub, then every reading it publishes reaches Kafka once', async () => {
    const fleet = createFleet({
      seed: 11,
      deviceCount: 25,
      startMs: Date.UTC(2026, 0, 1),
      faultRate: 0.3,
      ticksPerSlot: 50,
    });
    const tokens = await registerFleet(fleet, { hubUrl, adminKey: testAdminKey, concurrency: 4 });
    expect(tokens.size).toBe(25);
    expect((await harness.registry.list({ limit: 100 })).map((d) => d.deviceId)).toEqual(
      fleet.devices.map((d) => d.deviceId),
    );

    const publisher = await createReadingPublisher({ url: harness.mqttUrl, topics: harness.mqttTopics });
    const faults: string[] = [];
    const result = await runSimulator({
      fleet,
      publisher,
      speedup: Number.POSITIVE_INFINITY,
      toTick: 40,
      delivery: { lateFraction: 0.1, maxLatenessMs: 60_000 },
      onFault: (f) => faults.push(f.kind),
    }).finally(() => publisher.close());

    const expected = Array.from({ length: 40 }, (_, t) => fleet.readingsAt(t)).flat();
    expect(result.published).toBe(expected.length);
    expect(faults.length).toBeGreaterThan(0);
    // offline devices were silent
    expect(expected.length).toBeLessThanOrEqual(25 * 40);

    const topic = harness.topics.telemetry.name;
    await expect
      .poll(async () => (await harness.admin.readTopic(topic)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(expected.length);
    const records = await harness.admin.readTopic(topic);
    const got = records.map((r) => JSON.parse(r.value ?? '{}') as SensorReading);
    expect(got).toHaveLength(expected.length);
    const key = (r: SensorReading) => `${r.deviceId}#${r.seq}`;
    expect(new Set(got.map(key))).toEqual(new Set(expected.map((e) => key(e.reading))));
  });
});

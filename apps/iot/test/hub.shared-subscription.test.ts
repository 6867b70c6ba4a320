import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: two replicas on one shared subscription', () => {
  let harness: HubHarness;
  const devices = Array.from({ length: 8 }, (_, i) => `dev-${i}`);
  const perDevice = 50;

  beforeAll(async () => {
    harness = await createHubHarness('hub-shared');
    for (const id of devices) await harness.registry.register(id, {});
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('splits the messages between them with none lost or duplicated', async () => {
    const [first, second] = [await harness.startInstance(), await harness.startInstance()];
    const publisher = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
    try {
      const sends: Promise<unknown>[] = [];
      for (let seq = 0; seq < perDevice; seq++) {
        for (const id of devices) {
          sends.push(
            publisher.publishAsync(harness.mqttTopics.telemetry(id), JSON.stringify(reading(id, seq)), {
              qos: 1,
            }),
          );
        }
      }
      await Promise.all(sends);
    } finally {
      await publisher.endAsync();
    }
    const total = devices.length * perDevice;
    const topic = harness.topics.telemetry.name;
    await expect
      .poll(async () => (await harness.admin.readTopic(topic)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(total);

    const records = await harness.admin.readTopic(topic);
    const ids = records.map((r) => {
      const value = JSON.parse(r.value ?? '{}') as { deviceId: string; seq: number };
      expect(r.key).toBe(value.deviceId);
      return `${value.deviceId}#${value.seq}`;
    });
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);

    const accepted = [
      await first.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'accepted' }),
      await second.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'accepted' }),
    ];
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(total);
    // the broker round-robins a shared subscription: each replica takes a real share
    expect(Math.min(...accepted)).toBeGreaterThan(total / 10);
  });
});

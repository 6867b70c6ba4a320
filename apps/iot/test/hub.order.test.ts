import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerDeviceOrder } from '../src/hub/per-device-order.ts';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('per-device order', () => {
  it('lets a device’s readings go in the order they were taken, whatever order they finish their lookups in', async () => {
    const order = createPerDeviceOrder();
    const went: string[] = [];
    const [a1, a2, b1] = [
      Promise.withResolvers<void>(),
      Promise.withResolvers<void>(),
      Promise.withResolvers<void>(),
    ];
    const run = async (deviceId: string, label: string, lookup: Promise<void>) => {
      const turn = order.take(deviceId);
      try {
        await lookup;
        await turn.ready;
        went.push(label);
      } finally {
        turn.release();
      }
    };
    const all = Promise.all([
      run('a', 'a1', a1.promise),
      run('a', 'a2', a2.promise),
      run('b', 'b1', b1.promise),
    ]);
    a2.resolve(); // a2's lookup ends first: it still waits for a1
    b1.resolve(); // another device does not wait
    await expect.poll(() => went).toEqual(['b1']);
    a1.resolve();
    await all;
    expect(went).toEqual(['b1', 'a1', 'a2']);
    expect(order.size).toBe(0);
  });

  it('a reading that ends early still lets the next go only after the earlier ones', async () => {
    const order = createPerDeviceOrder();
    const first = order.take('a');
    const second = order.take('a');
    const third = order.take('a');
    second.release(); // rejected reading
    let thirdReady = false;
    void third.ready.then(() => {
      thirdReady = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(thirdReady).toBe(false);
    first.release();
    await third.ready;
    third.release();
    await expect.poll(() => order.size).toBe(0);
  });
});

describe('hub: a device’s readings reach Kafka in the order it published them', () => {
  let harness: HubHarness;
  let device: MqttClient;
  const devices = ['ord-a', 'ord-b', 'ord-c'];
  const perDevice = 100;

  beforeAll(async () => {
    harness = await createHubHarness('hub-order', 1);
    for (const id of devices) await harness.registry.register(id, {});
    // every reading looks its device up again, so lookups overlap and may finish in any order
    await harness.startInstance({ env: { HUB_DEVICE_CACHE_TTL_MS: '0' } });
    device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await harness?.close();
  });

  it('keeps the order while lookups of one device overlap', async () => {
    const published: Promise<unknown>[] = [];
    for (let seq = 0; seq < perDevice; seq++) {
      for (const id of devices) {
        published.push(
          device.publishAsync(harness.mqttTopics.telemetry(id), JSON.stringify(reading(id, seq)), { qos: 1 }),
        );
      }
    }
    await Promise.all(published);
    const total = devices.length * perDevice;
    await expect
      .poll(async () => (await harness.admin.readTopic(harness.topics.telemetry.name)).length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(total);
    const records = await harness.admin.readTopic(harness.topics.telemetry.name);
    for (const id of devices) {
      const seqs = records.filter((r) => r.key === id).map((r) => JSON.parse(r.value ?? '{}').seq);
      expect(seqs, id).toEqual(Array.from({ length: perDevice }, (_, i) => i));
    }
  });
});

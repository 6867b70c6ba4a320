import { dlqHeaders } from '@streamkit/kafka';
import { waitFor } from '@streamkit/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness, type HubInstance } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: MQTT → Kafka', () => {
  let harness: HubHarness;
  let hub: HubInstance;
  let device: MqttClient;

  beforeAll(async () => {
    harness = await createHubHarness('hub-mqtt');
    await harness.registry.register('dev-a', {});
    await harness.registry.register('dev-b', {});
    await harness.registry.register('dev-off', {});
    await harness.registry.disable('dev-off');
    hub = await harness.startInstance();
    device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
  });

  afterAll(async () => {
    await device?.endAsync();
    await harness?.close();
  });

  /** The topic's records once it holds `count` of them (never fewer; more fails the test). */
  async function recordsOf(topic: string, count: number) {
    await expect
      .poll(async () => (await harness.admin.readTopic(topic)).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(count);
    const records = await harness.admin.readTopic(topic);
    expect(records).toHaveLength(count);
    return records;
  }

  const publish = (deviceId: string, payload: unknown) =>
    device.publishAsync(
      harness.mqttTopics.telemetry(deviceId),
      typeof payload === 'string' ? payload : JSON.stringify(payload),
      { qos: 1 },
    );

  it('produces valid readings to the telemetry topic keyed by deviceId, and records last-seen', async () => {
    const sent = [reading('dev-a', 1), reading('dev-b', 1), reading('dev-a', 2)];
    for (const r of sent) await publish(r.deviceId, r);

    // the device's PUBACK comes from the broker; the hub's own ack to the broker waits for Kafka
    const records = await recordsOf(harness.topics.telemetry.name, 3);
    const byKey = records.map((r) => [r.key, JSON.parse(r.value ?? 'null')]);
    expect(byKey).toEqual(expect.arrayContaining(sent.map((r) => [r.deviceId, r])));
    // one device's readings share a partition and keep their order
    const devA = records.filter((r) => r.key === 'dev-a');
    expect(new Set(devA.map((r) => r.partition)).size).toBe(1);
    expect(devA.map((r) => JSON.parse(r.value ?? '{}').seq)).toEqual([1, 2]);
    expect(await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'accepted' })).toBe(3);

    await waitFor(async () => (await harness.registry.get('dev-a'))?.lastReadingTs === sent[2]?.ts, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect((await harness.registry.get('dev-a'))?.lastSeenAt).not.toBeNull();
  });

  it('sends malformed payloads to the DLQ with the reason, and counts them', async () => {
    await publish('dev-a', { ...reading('dev-a', 3), metrics: { temperature: 'hot' } });
    await publish('dev-b', 'not json at all');

    const dlq = await recordsOf(`${harness.topics.telemetry.name}.dlq`, 2);
    const [schemaInvalid, notJson] = [dlq.find((r) => r.key === 'dev-a'), dlq.find((r) => r.key === 'dev-b')];
    expect(schemaInvalid?.headers[dlqHeaders.reason]).toMatch(
      /invalid SensorReading: .*metrics\/temperature/,
    );
    expect(schemaInvalid?.headers[dlqHeaders.sourceTopic]).toBe(
      `mqtt:${harness.mqttTopics.telemetry('dev-a')}`,
    );
    expect(notJson?.headers[dlqHeaders.reason]).toMatch(/not JSON/);
    expect(JSON.parse(notJson?.value ?? '')).toBe('not json at all');
    expect(await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'invalid' })).toBe(2);
    expect(
      await hub.metric('streamkit_events_failed_total', {
        topic: harness.topics.telemetry.name,
        reason: 'invalid',
      }),
    ).toBe(2);
  });

  it('rejects and counts unknown and disabled devices, and readings published under another device', async () => {
    const before = (await harness.admin.readTopic(harness.topics.telemetry.name)).length;
    await publish('dev-ghost', reading('dev-ghost', 1));
    await publish('dev-off', reading('dev-off', 1));
    await publish('dev-b', reading('dev-a', 9)); // dev-b's topic, dev-a's payload
    const outcome = (name: string) =>
      hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: name });
    await expect
      .poll(
        async () => [
          await outcome('unknown_device'),
          await outcome('disabled_device'),
          await outcome('wrong_device'),
        ],
        {
          timeout: 10_000,
        },
      )
      .toEqual([1, 1, 1]);
    expect(await harness.admin.readTopic(harness.topics.telemetry.name)).toHaveLength(before);
  });

  it('dead-letters a reading dated beyond the allowed skew into the future with the reason; later readings go through', async () => {
    const hostile = reading('dev-b', 50, Date.UTC(2099, 0, 1));
    const later = reading('dev-b', 51, Date.now());
    await publish('dev-b', hostile);
    await publish('dev-b', later);
    await waitFor(
      async () =>
        (await harness.admin.readTopic(harness.topics.telemetry.name)).some(
          (r) => JSON.parse(r.value ?? '{}').seq === 51,
        ),
      { timeoutMs: 15_000, message: 'the later reading reaches Kafka' },
    );
    const telemetry = await harness.admin.readTopic(harness.topics.telemetry.name);
    expect(telemetry.filter((r) => JSON.parse(r.value ?? '{}').seq === 50)).toEqual([]);
    const dead = (await harness.admin.readTopic(`${harness.topics.telemetry.name}.dlq`)).filter(
      (r) => JSON.parse(r.value ?? 'null')?.seq === 50,
    );
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.value ?? 'null')).toEqual(hostile);
    expect(dead[0]?.headers[dlqHeaders.reason]).toMatch(
      /^invalid SensorReading: ts: must not lie more than 300000 ms in the future/,
    );
  });
});

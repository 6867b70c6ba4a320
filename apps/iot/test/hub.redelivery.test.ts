import { KafkaConnectionError, type TypedProducer } from '@streamkit/kafka';
import type { SensorReading } from '@streamkit/schemas';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: a failed Kafka produce is not acknowledged over MQTT', () => {
  let harness: HubHarness;

  beforeAll(async () => {
    harness = await createHubHarness('hub-redelivery');
    await harness.registry.register('dev-r', {});
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('gets the reading again from the broker and produces it, so nothing is lost', async () => {
    // the broker stays real; the first two produces fail as if Kafka were unreachable
    let failuresLeft = 2;
    const errors: unknown[] = [];
    await harness.startInstance({
      onError: (e) => errors.push(e),
      wrapProducer: (real): TypedProducer => ({
        send(topic, messages) {
          if (failuresLeft > 0) {
            failuresLeft--;
            return Promise.reject(new KafkaConnectionError('injected: broker unreachable'));
          }
          return real.send(topic, messages);
        },
        disconnect: () => real.disconnect(),
      }),
    });
    const device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
    try {
      for (let seq = 0; seq < 20; seq++) {
        await device.publishAsync(
          harness.mqttTopics.telemetry('dev-r'),
          JSON.stringify(reading('dev-r', seq)),
          { qos: 1 },
        );
      }
    } finally {
      await device.endAsync();
    }

    const topic = harness.topics.telemetry.name;
    const seqs = async () =>
      new Set(
        (await harness.admin.readTopic(topic)).map((r) => (JSON.parse(r.value ?? '{}') as SensorReading).seq),
      );
    await expect.poll(async () => (await seqs()).size, { timeout: 30_000 }).toBe(20);
    expect(failuresLeft).toBe(0);
    expect(errors.some((e) => e instanceof KafkaConnectionError)).toBe(true);
  });
});

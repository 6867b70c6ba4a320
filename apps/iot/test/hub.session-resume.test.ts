import type { SensorReading } from '@streamkit/schemas';
import { uniqueName } from '@streamkit/testkit';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: a restarted hub resumes its MQTT session', () => {
  let harness: HubHarness;

  beforeAll(async () => {
    harness = await createHubHarness('hub-session-resume');
    await harness.registry.register('dev-s', {});
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('produces every reading the broker queued while the hub was gone (kill -9: no unsubscribe)', async () => {
    const instanceId = uniqueName('hub-resume');
    // the dead hub: its persistent session subscribed, then the connection gone without a word
    const dead = await mqtt.connectAsync(harness.mqttUrl, {
      protocolVersion: 5,
      clientId: `iot-hub-${instanceId}`,
      clean: false,
      properties: { sessionExpiryInterval: 300 },
    });
    await dead.subscribeAsync(harness.mqttTopics.sharedTelemetryFilter('hub'), { qos: 1 });
    dead.stream.destroy();
    await dead.endAsync(true);

    const device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
    const count = 200;
    try {
      for (let seq = 0; seq < count; seq++) {
        await device.publishAsync(
          harness.mqttTopics.telemetry('dev-s'),
          JSON.stringify(reading('dev-s', seq)),
          { qos: 1 },
        );
      }
    } finally {
      await device.endAsync();
    }

    // the restart: same instance id, so the same client id; the queue comes right behind the CONNACK
    await harness.startInstance({ env: { INSTANCE_ID: instanceId } });
    const topic = harness.topics.telemetry.name;
    const seqs = async () =>
      new Set(
        (await harness.admin.readTopic(topic)).map((r) => (JSON.parse(r.value ?? '{}') as SensorReading).seq),
      );
    await expect.poll(async () => (await seqs()).size, { timeout: 30_000 }).toBe(count);
  });
});

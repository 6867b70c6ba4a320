import { startRecordingTracing, type Tracing } from '@streamkit/telemetry';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: trace context from the device to the Kafka record', () => {
  let harness: HubHarness;
  let hub: HubInstance;
  let tracing: Tracing;

  beforeAll(async () => {
    // first: the instrumentations that continue the caller's trace run only while spans are recorded
    tracing = startRecordingTracing('iot-hub-tracing-test').tracing;
    harness = await createHubHarness('hub-tracing');
    await harness.registry.register('t-mqtt', {});
    hub = await harness.startInstance();
  });

  afterAll(async () => {
    await harness?.close();
    await tracing?.shutdown();
  });

  const headerOf = async (deviceId: string) => {
    const records = await harness.admin.readTopic(harness.topics.telemetry.name);
    return records.find((r) => r.key === deviceId)?.headers.traceparent;
  };

  it('continues a traceparent sent as an MQTT 5 user property', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
    await device.publishAsync(harness.mqttTopics.telemetry('t-mqtt'), JSON.stringify(reading('t-mqtt', 1)), {
      qos: 1,
      properties: { userProperties: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    });
    await device.endAsync();
    await expect
      .poll(() => headerOf('t-mqtt'), { timeout: 15_000 })
      .toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
  });

  it('continues the traceparent header of POST /ingest', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const registered = await hub.app.inject({
      method: 'PUT',
      url: '/devices/t-http',
      headers: { 'x-api-key': testAdminKey },
      payload: {},
    });
    const response = await hub.app.inject({
      method: 'POST',
      url: '/ingest',
      headers: {
        authorization: `Bearer ${registered.json().token}`,
        'content-type': 'application/x-ndjson',
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      },
      payload: JSON.stringify(reading('t-http', 1)),
    });
    expect(response.statusCode).toBe(200);
    expect(await headerOf('t-http')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
  });
});

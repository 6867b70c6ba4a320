// The fuzzer at the hub's two doors: POST /ingest (NDJSON, a device's bearer token) and MQTT
// telemetry payloads. Schema-generated readings, their mutations, raw bytes, random tokens: never a
// 5xx, every refusal a 4xx in the common body (a 400 naming the line and field), every MQTT message
// counted with an outcome and the bridge still up, nothing invalid on the telemetry topic.
import { loadavg } from 'node:os';
import { sensorReadingValidator } from '@streamkit/schemas';
import {
  arbitraryOf,
  fc,
  finishFuzzRound,
  fuzzIngress,
  invalidRecords,
  type JsonSchema,
  loadFuzzSettings,
  mutationsOf,
  rawBodiesOf,
  reportFuzzFigures,
  sampleFuzzInputs,
} from '@streamkit/testkit/fuzz';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

const DEVICE = 'fz-dev-1';
let harness: HubHarness;
let hub: HubInstance;
let token: string;

beforeAll(async () => {
  harness = await createHubHarness('hub-fuzz');
  hub = await harness.startInstance();
  const created = await hub.app.inject({
    method: 'PUT',
    url: `/devices/${DEVICE}`,
    headers: { 'x-api-key': testAdminKey },
    payload: {},
  });
  token = (created.json() as { token: string }).token;
});
afterAll(async () => {
  await harness?.close();
});

/** Readings as the schema allows them, mostly of the registered device (else: someone else's). */
const readings = fc
  .tuple(arbitraryOf(sensorReadingValidator.schema as JsonSchema), fc.nat(9))
  .map(([r, pick]) => (pick === 0 ? r : { ...(r as object), deviceId: DEVICE }));
const payloads = fc.oneof(
  readings.map((r) => JSON.stringify(r)),
  mutationsOf(readings).map((r) => JSON.stringify(r) ?? ''),
  rawBodiesOf(readings),
);

async function telemetryRecords() {
  return harness.admin.readTopic(harness.topics.telemetry.name);
}

describe('fuzz: the hub', () => {
  it('POST /ingest answers every generated or mutated body with 200 or a 4xx naming the line', async () => {
    const inputs = fc.record({
      lines: fc.array(payloads, { minLength: 0, maxLength: 6 }),
      auth: fc.oneof(
        { weight: 8, arbitrary: fc.constant('valid') },
        fc.string({ maxLength: 60 }),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic x', `Bearer ${'a'.repeat(5000)}`, 'Bearer iotd_x'),
      ),
      contentType: fc.constantFrom(
        'application/x-ndjson',
        'application/x-ndjson',
        'text/plain',
        'application/json',
      ),
    });
    const figures = await fuzzIngress(
      'hub POST /ingest',
      inputs,
      async ({ lines, auth, contentType }) => {
        const res = await hub.app.inject({
          method: 'POST',
          url: '/ingest',
          headers: {
            'content-type': contentType,
            authorization: auth === 'valid' ? `Bearer ${token}` : auth,
          },
          payload: lines.join('\n'),
        });
        return { status: res.statusCode, body: res.body };
      },
      // 401/403: a random token; 413: past the body limit; 415: another media type
      { accepted: [200], otherRejections: [401, 413, 415] },
    );
    const records = await telemetryRecords();
    expect(finishFuzzRound(figures, records, (v) => sensorReadingValidator.validate(v))).toEqual([]);
    expect(figures.accepted).toBeGreaterThan(0);
  });

  it('MQTT: every generated or mutated payload is counted with an outcome, the bridge stays up, the topic stays valid', async () => {
    const settings = loadFuzzSettings();
    const inputs = sampleFuzzInputs(fc.tuple(payloads, fc.nat(19)), settings);
    const counted = async () => {
      let total = 0;
      for (const outcome of ['accepted', 'invalid', 'unknown_device', 'disabled_device', 'wrong_device'])
        total += await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome });
      return total;
    };
    const before = await counted();
    const started = performance.now();
    const device: MqttClient = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
    try {
      for (const [payload, pick] of inputs) {
        // now and then on another device's topic, or one nobody registered
        const topicDevice = pick === 0 ? 'fz-ghost' : pick === 1 ? 'fz-dev-2' : DEVICE;
        await device.publishAsync(harness.mqttTopics.telemetry(topicDevice), payload, { qos: 1 });
      }
      // at least: a message the broker redelivers (a reconnect) is counted again
      await expect
        .poll(counted, { timeout: 60_000 + settings.runs * 10 })
        .toBeGreaterThanOrEqual(before + inputs.length);
      // the bridge survived the round: a valid reading still goes through
      const last = reading(DEVICE, 1_000_000, Date.now() - 1_000_000_000); // ts: now
      await device.publishAsync(harness.mqttTopics.telemetry(DEVICE), JSON.stringify(last), { qos: 1 });
      await expect
        .poll(
          async () => (await telemetryRecords()).some((r) => JSON.parse(r.value ?? '{}').seq === last.seq),
          {
            timeout: 30_000,
          },
        )
        .toBe(true);
    } finally {
      await device.endAsync();
    }
    const seconds = (performance.now() - started) / 1000;
    const outcomes: Record<string, number> = {};
    for (const outcome of ['accepted', 'invalid', 'unknown_device', 'disabled_device', 'wrong_device'])
      outcomes[outcome] = await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome });
    const { accepted = 0, ...rejected } = outcomes;
    const records = await telemetryRecords();
    expect(invalidRecords(records, (v) => sensorReadingValidator.validate(v))).toEqual([]);
    reportFuzzFigures({
      ingress: 'hub MQTT telemetry',
      inputs: inputs.length,
      accepted: accepted - 1,
      rejected,
      serverErrors: 0,
      seconds: Math.round(seconds * 10) / 10,
      inputsPerSecond: Math.round(inputs.length / seconds),
      loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      topicRecords: records.length,
    });
    expect((await hub.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});

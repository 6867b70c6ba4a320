// Device identity at a real Mosquitto with the dynamic-security plugin (a private broker: the
// shared one on 1883 stays anonymous for the other tests).
import { dlqHeaders } from '@streamkit/kafka';
import { type PrivateMosquitto, startPrivateMosquitto, waitFor } from '@streamkit/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

const admin = { username: 'broker-admin', password: 'broker-admin-secret-0123' };
const hubIdentity = { username: 'iot-hub', password: 'hub-secret-0123456789' };
const gateway = { username: 'iot-gateway', password: 'gateway-secret-0123456789' };
const HUB_LIMIT = 16 * 1024;
// above Kafka's 1 MB record limit: the hub's own limit is what keeps such a payload off its DLQ
const BROKER_LIMIT = 2 * 1024 * 1024;

describe('hub: device identity at the MQTT broker (dynamic security)', () => {
  let broker: PrivateMosquitto;
  let harness: HubHarness;
  let hub: HubInstance;
  let hubEnv: Record<string, string>;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startPrivateMosquitto({ admin, maxPacketSize: BROKER_LIMIT });
    harness = await createHubHarness('hub-auth', 3, { mqttUrl: broker.url });
    hubEnv = {
      HUB_MQTT_ADMIN_USERNAME: admin.username,
      HUB_MQTT_ADMIN_PASSWORD: admin.password,
      HUB_MQTT_USERNAME: hubIdentity.username,
      HUB_MQTT_PASSWORD: hubIdentity.password,
      HUB_MQTT_GATEWAY_USERNAME: gateway.username,
      HUB_MQTT_GATEWAY_PASSWORD: gateway.password,
      HUB_MQTT_MAX_PAYLOAD_BYTES: String(HUB_LIMIT),
    };
    hub = await harness.startInstance({ env: hubEnv });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await harness?.close();
    await broker?.stop();
  });

  async function register(deviceId: string): Promise<string> {
    const response = await fetch(`${hub.address}/devices/${deviceId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': testAdminKey },
      body: '{}',
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return ((await response.json()) as { token: string }).token;
  }

  /** A device's own connection (no reconnects: a refusal must show). */
  async function connect(options: { username?: string; password?: string; clientId?: string }) {
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...options,
    });
    clients.push(client);
    return client;
  }
  const connectDevice = (deviceId: string, token: string) =>
    connect({ username: deviceId, password: token, clientId: deviceId });

  const publish = (client: MqttClient, topicOf: string, payload: unknown) =>
    client.publishAsync(
      harness.mqttTopics.telemetry(topicOf),
      typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
      { qos: 1 },
    );

  const telemetrySeqs = async (deviceId: string) =>
    (await harness.admin.readTopic(harness.topics.telemetry.name))
      .filter((r) => r.key === deviceId)
      .map((r) => JSON.parse(r.value ?? '{}').seq as number);

  it('refuses anonymous clients, wrong passwords, unregistered devices and a foreign client id', async () => {
    const token = await register('auth-a');
    await expect(connect({})).rejects.toThrow(/Not authorized|Bad User Name or Password/);
    await expect(connect({ username: 'auth-a', password: 'wrong', clientId: 'auth-a' })).rejects.toThrow();
    await expect(
      connect({ username: 'auth-ghost', password: token, clientId: 'auth-ghost' }),
    ).rejects.toThrow();
    // the client id is bound to the device: no taking over another client's session
    await expect(connect({ username: 'auth-a', password: token, clientId: 'iot-hub-x' })).rejects.toThrow();
    const device = await connectDevice('auth-a', token);
    expect(device.connected).toBe(true);
  });

  it('a device publishing as another is refused by the broker and never reaches the hub', async () => {
    const [tokenA] = await Promise.all([register('spoof-a'), register('spoof-b')]);
    const deviceA = await connectDevice('spoof-a', tokenA);
    await expect(publish(deviceA, 'spoof-b', reading('spoof-b', 1))).rejects.toMatchObject({ code: 135 });
    // on its own topic, under the other's id in the payload: delivered, and the hub refuses it
    await publish(deviceA, 'spoof-a', reading('spoof-a', 2));
    await expect.poll(() => telemetrySeqs('spoof-a'), { timeout: 15_000 }).toEqual([2]);
    expect(await telemetrySeqs('spoof-b')).toEqual([]);
    expect(await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'wrong_device' })).toBe(0);
  });

  it("a device cannot subscribe to another device's topic, to devices/# or to the hub's shared subscription", async () => {
    const token = await register('nosy');
    const device = await connectDevice('nosy', token);
    const filters = [
      harness.mqttTopics.telemetry('spoof-a'),
      harness.mqttTopics.telemetry('nosy'),
      harness.mqttTopics.telemetryFilter,
      `${harness.name}/devices/#`,
      '#',
      harness.mqttTopics.sharedTelemetryFilter('hub'),
    ];
    for (const filter of filters) {
      await expect(device.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Not authorized/);
    }
  });

  it('disabling a device closes its connection at the broker and refuses it afterwards', async () => {
    const token = await register('to-disable');
    const device = await connectDevice('to-disable', token);
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    const response = await fetch(`${hub.address}/devices/to-disable/disable`, {
      method: 'POST',
      headers: { 'x-api-key': testAdminKey },
    });
    expect(response.status).toBe(200);
    await closed;
    expect(device.connected).toBe(false);
    await expect(connectDevice('to-disable', token)).rejects.toThrow(/Not authorized/);
  });

  it('re-registering replaces the credential: the old token is refused, the new one accepted', async () => {
    const first = await register('rotated');
    const second = await register('rotated');
    await expect(connectDevice('rotated', first)).rejects.toThrow();
    expect((await connectDevice('rotated', second)).connected).toBe(true);
  });

  it('dead-letters an oversized and an invalid payload once each; later readings go through', async () => {
    const token = await register('poison');
    const device = await connectDevice('poison', token);
    const oversized = JSON.stringify({ deviceId: 'poison', pad: 'x'.repeat(1536 * 1024) });
    await publish(device, 'poison', oversized);
    await publish(device, 'poison', '{"deviceId": "poison", "broken');
    // larger than the broker's limit: the broker closes the connection, nothing is delivered
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    void publish(device, 'poison', Buffer.alloc(BROKER_LIMIT + 1024, 'y')).catch(() => undefined);
    await closed;
    const later = await connectDevice('poison-later', await register('poison-later'));
    await publish(later, 'poison-later', reading('poison-later', 7));
    await expect.poll(() => telemetrySeqs('poison-later'), { timeout: 15_000 }).toEqual([7]);

    // every message is acknowledged to the broker (no redelivery pending), the bridge still connected
    await waitFor(async () => (await hub.metric('iot_hub_mqtt_in_flight', {})) === 0, {
      timeoutMs: 10_000,
      message: 'the hub acknowledged everything',
    });
    expect(hub.hub.bridge?.connected).toBe(true);
    const dead = (await harness.admin.readTopic(`${harness.topics.telemetry.name}.dlq`)).filter(
      (r) => r.key === 'poison',
    );
    const reasons = dead.map((r) => r.headers[dlqHeaders.reason]).sort();
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(
      new RegExp(`payload of ${oversized.length} bytes exceeds the limit of ${HUB_LIMIT} bytes`),
    );
    const excerpt = dead.find((r) => /exceeds/.test(r.headers[dlqHeaders.reason] ?? ''))?.value ?? '';
    expect(JSON.parse(excerpt)).toBe(oversized.slice(0, 1024));
    expect(await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'invalid' })).toBe(2);
  });

  it('the gateway identity (bulk path) publishes for any device and may subscribe to nothing', async () => {
    await register('gw-dev');
    const client = await connect({ ...gateway, clientId: 'simulator-1' });
    await publish(client, 'gw-dev', reading('gw-dev', 3));
    await expect.poll(() => telemetrySeqs('gw-dev'), { timeout: 15_000 }).toEqual([3]);
    await expect(client.subscribeAsync(harness.mqttTopics.telemetryFilter, { qos: 1 })).rejects.toThrow(
      /Not authorized/,
    );
    await expect(connect({ ...hubIdentity, password: 'guessed-password' })).rejects.toThrow();
  });

  it("another replica's start leaves the first one's connection alone", async () => {
    // the broker closes every connection of an identity whose password is set: watch one of the hub's
    const sentinel = await connect({ ...hubIdentity, clientId: 'hub-sentinel' });
    await harness.startInstance({ env: hubEnv }); // stopped by harness.close
    // a round trip: a DISCONNECT sent while the replica started would arrive before this answer
    const closed = new Promise<void>((resolve) => sentinel.once('close', () => resolve()));
    await Promise.race([sentinel.unsubscribeAsync('nothing'), closed]);
    expect(sentinel.connected).toBe(true);
    const device = await connectDevice('replicated', await register('replicated'));
    for (let seq = 1; seq <= 20; seq++) await publish(device, 'replicated', reading('replicated', seq));
    await expect.poll(async () => (await telemetrySeqs('replicated')).length, { timeout: 15_000 }).toBe(20);
  });

  it("refuses to register a device under one of the broker's own identities", async () => {
    for (const name of [hubIdentity.username, admin.username, gateway.username]) {
      const response = await fetch(`${hub.address}/devices/${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-key': testAdminKey },
        body: '{}',
      });
      expect(response.status).toBe(409);
    }
  });
});

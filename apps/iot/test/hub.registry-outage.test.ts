// The hub while its device registry (PostgreSQL) is down: a private cluster, stopped mid-stream —
// the shared one is never touched. Known devices' readings keep flowing to Kafka on their last known
// status (stale-if-error), over the same MQTT connection (no reading is resent: each is in Kafka
// once); a device never looked up waits for the registry instead of dropping the connection;
// /health says why it is degraded; once PostgreSQL is back lookups are fresh again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivatePostgres, startPrivatePostgres } from '@streamkit/chaos';
import { createPool } from '@streamkit/postgres';
import type { HealthReport } from '@streamkit/runtime';
import type { SensorReading } from '@streamkit/schemas';
import mqtt, { type MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createDeviceRegistry } from '../src/hub/device-registry.ts';
import { createHubHarness, type HubHarness, type HubInstance } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

const known = ['dev-a', 'dev-b', 'dev-c'];
const fresh = 'dev-new'; // registered, but the hub never looked it up before the outage

describe('hub: PostgreSQL down mid-stream', () => {
  let dir: string;
  let postgres: PrivatePostgres;
  let pool: Pool;
  let harness: HubHarness;
  let hub: HubInstance;
  let device: MqttClient;
  const errors: unknown[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamkit-hub-registry-outage-'));
    postgres = await startPrivatePostgres(join(dir, 'pg'));
    pool = createPool(postgres.url, { max: 2 });
    pool.on('error', () => undefined); // its idle clients are cut when the server stops
    await migrate(pool);
    const registry = createDeviceRegistry(pool);
    for (const id of [...known, fresh]) await registry.register(id, {});
    harness = await createHubHarness('hub-registry-outage');
    hub = await harness.startInstance({
      env: {
        DATABASE_URL: postgres.url,
        HUB_DEVICE_CACHE_TTL_MS: '200',
        HUB_DEVICE_STALE_IF_ERROR_MS: '600000',
      },
      onError: (e) => errors.push(e),
    });
    device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
  }, 180_000);

  afterAll(async () => {
    await device?.endAsync();
    await harness?.close();
    await pool?.end().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  const publish = async (deviceId: string, seqs: readonly number[]) => {
    for (const seq of seqs)
      await device.publishAsync(
        harness.mqttTopics.telemetry(deviceId),
        JSON.stringify(reading(deviceId, seq)),
        {
          qos: 1,
        },
      );
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  /** Copies of each (device, seq) in the telemetry topic. */
  const copies = async () => {
    const counts = new Map<string, number>();
    for (const r of await harness.admin.readTopic(harness.topics.telemetry.name)) {
      const { deviceId, seq } = JSON.parse(r.value ?? '{}') as SensorReading;
      counts.set(`${deviceId}#${seq}`, (counts.get(`${deviceId}#${seq}`) ?? 0) + 1);
    }
    return counts;
  };
  const health = async () => (await (await fetch(`${hub.address}/health`)).json()) as HealthReport;

  it('keeps known devices flowing on their last status, holds a new one, and refreshes once it is back', {
    timeout: 300_000,
  }, async () => {
    for (const id of known) await publish(id, range(0, 30));
    await expect.poll(async () => (await copies()).size, { timeout: 60_000, interval: 200 }).toBe(90);

    await postgres.stop();
    // past the 200 ms TTL every status must be read again, and cannot be
    await publish(fresh, [0]);
    for (const id of known) await publish(id, range(30, 90));
    await expect.poll(async () => (await copies()).size, { timeout: 60_000, interval: 200 }).toBe(270);
    const during = await copies();
    expect(during.has(`${fresh}#0`)).toBe(false); // waits for the registry
    expect(await hub.metric('iot_hub_device_status_stale_total', {})).toBeGreaterThan(0);
    const degraded = await health();
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks.deviceStatuses?.error).toMatch(
      /^device registry unreadable since .*answering last known/,
    );
    expect(degraded.checks.mqtt?.status).toBe('ok');
    expect(hub.hub.bridge?.connected).toBe(true);
    expect(await hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'accepted' })).toBe(270);

    await postgres.start();
    await expect
      .poll(async () => (await copies()).has(`${fresh}#0`), { timeout: 120_000, interval: 200 })
      .toBe(true);
    await expect
      .poll(async () => (await health()).checks.deviceStatuses?.status, { timeout: 60_000 })
      .toBe('ok');
    // fresh lookups again: a device disabled now is refused within the TTL, not served stale
    await createDeviceRegistry(pool).disable('dev-c');
    let probe = 1000;
    await expect
      .poll(
        async () => {
          await publish('dev-c', [probe++]);
          return hub.metric('iot_hub_readings_total', { channel: 'mqtt', outcome: 'disabled_device' });
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBeGreaterThan(0);

    // no reading was resent (the connection was never dropped): each is in Kafka exactly once
    const after = await copies();
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect([...after.keys()].filter((k) => Number(k.split('#')[1]) < 1000)).toHaveLength(271);
    expect(hub.hub.bridge?.connected).toBe(true);
  });
});

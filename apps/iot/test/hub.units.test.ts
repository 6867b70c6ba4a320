import { describe, expect, it } from 'vitest';
import { iotMqttTopics } from '../src/common/mqtt-topics.ts';
import { iotTopics } from '../src/common/topics.ts';
import { createDeviceCache } from '../src/hub/device-cache.ts';
import type { DeviceStatus } from '../src/hub/device-registry.ts';
import { HubSettingsError } from '../src/hub/errors.ts';
import { ndjsonLines } from '../src/hub/ndjson.ts';
import { resolveHubHttpSettings } from '../src/hub/settings.ts';
import { bearerToken, hashDeviceToken, newDeviceToken } from '../src/hub/tokens.ts';

describe('hub building blocks', () => {
  it('names MQTT topics with the prefix and reads the device id back, refusing other topics', () => {
    const t = iotMqttTopics('t1/');
    expect(t.telemetry('d-1')).toBe('t1/devices/d-1/telemetry');
    expect(t.sharedTelemetryFilter('hub')).toBe('$share/hub/t1/devices/+/telemetry');
    expect(t.deviceIdOf('t1/devices/d-1/telemetry')).toBe('d-1');
    expect(t.deviceIdOf('devices/d-1/telemetry')).toBeUndefined();
    expect(t.deviceIdOf('t1/devices/a/b/telemetry')).toBeUndefined();
    expect(t.deviceIdOf('t1/devices//telemetry')).toBeUndefined();
    expect(iotTopics('x.').telemetry.name).toBe('x.iot.telemetry');
    expect(iotTopics().alerts.name).toBe('iot.alerts');
  });

  it('batches cache misses into one registry query and trusts answers for the TTL', async () => {
    const queries: string[][] = [];
    let clock = 0;
    const statuses = new Map<string, DeviceStatus>([
      ['a', 'active'],
      ['b', 'disabled'],
    ]);
    const cache = createDeviceCache(
      {
        async statuses(ids) {
          queries.push([...ids]);
          return new Map(
            ids.flatMap((id) => (statuses.has(id) ? [[id, statuses.get(id) as DeviceStatus]] : [])),
          );
        },
      },
      { ttlMs: 1000, batchWindowMs: 1 },
      () => clock,
    );
    expect(await Promise.all(['a', 'b', 'c', 'a'].map((id) => cache.verdict(id)))).toEqual([
      'active',
      'disabled',
      'unknown',
      'active',
    ]);
    expect(queries).toEqual([['a', 'b', 'c']]);
    await cache.verdict('a');
    expect(queries).toHaveLength(1);
    clock = 1001; // expired: read again
    statuses.set('a', 'disabled');
    expect(await cache.verdict('a')).toBe('disabled');
    expect(queries).toHaveLength(2);
    expect(() =>
      createDeviceCache({ statuses: async () => new Map() }, { ttlMs: -1, maxEntries: 0 }),
    ).toThrow(/ttlMs.*maxEntries/);
  });

  it('answers the last known status while the registry fails, within the staleness window', async () => {
    let clock = 0;
    let down = false;
    let stale = 0;
    const cache = createDeviceCache(
      {
        async statuses(ids) {
          if (down) throw new Error('status lookup failed: connect ECONNREFUSED');
          return new Map(ids.map((id) => [id, 'active' as DeviceStatus]));
        },
      },
      { ttlMs: 1000, staleIfErrorMs: 60_000, batchWindowMs: 0 },
      () => clock,
      { onStale: () => stale++ },
    );
    expect(await cache.verdict('a')).toBe('active');
    down = true;
    clock = 5000; // expired, registry down: the last status, counted, and the outage is reported
    expect(await cache.verdict('a')).toBe('active');
    expect(stale).toBe(1);
    expect(cache.outage()).toMatchObject({ since: 5000, message: /ECONNREFUSED/ });
    await expect(cache.verdict('never-seen')).rejects.toThrow(/ECONNREFUSED/);
    clock = 61_001 + 1000; // beyond ttl + staleness: cannot be decided
    await expect(cache.verdict('a')).rejects.toThrow(/ECONNREFUSED/);
    // told to wait, a lookup retries until the registry answers
    const waiting = cache.verdict('b', new AbortController().signal);
    clock += 2000;
    down = false;
    expect(await waiting).toBe('active');
    expect(cache.outage()).toBeUndefined();
  });

  it('issues random tokens, hashes them and parses bearer headers', () => {
    const a = newDeviceToken();
    expect(a).not.toBe(newDeviceToken());
    expect(hashDeviceToken(a)).toHaveLength(32);
    expect(hashDeviceToken(a).equals(hashDeviceToken(a))).toBe(true);
    expect(bearerToken(`Bearer ${a}`)).toBe(a);
    expect(bearerToken(`Basic ${a}`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('numbers NDJSON lines, skipping blank ones', () => {
    expect(ndjsonLines('{"a":1}\n\n  \n{"b":2}\r\n')).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });

  it('rejects nonsense HTTP settings naming every problem', () => {
    expect(() => resolveHubHttpSettings({ adminKey: 'short', maxInFlight: 0 })).toThrow(HubSettingsError);
    expect(() => resolveHubHttpSettings({ adminKey: 'short', maxInFlight: 0 })).toThrow(
      /adminKey.*maxInFlight/,
    );
    expect(resolveHubHttpSettings({ adminKey: 'a'.repeat(16) }).bodyLimitBytes).toBe(1024 * 1024);
  });
});

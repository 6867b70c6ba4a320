import { dlqHeaders } from '@streamkit/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

describe('hub: HTTP ingest and the device registry API', () => {
  let harness: HubHarness;
  let hub: HubInstance;
  const admin = { 'x-api-key': testAdminKey };

  beforeAll(async () => {
    harness = await createHubHarness('hub-http');
    hub = await harness.startInstance();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const register = (deviceId: string, body: object = {}) =>
    hub.app.inject({ method: 'PUT', url: `/devices/${deviceId}`, headers: admin, payload: body });
  const ingest = (token: string | undefined, lines: readonly unknown[]) =>
    hub.app.inject({
      method: 'POST',
      url: '/ingest',
      headers: {
        'content-type': 'application/x-ndjson',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      payload: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'),
    });

  it('registers a device once with a token, stores only its hash, and lists and shows devices', async () => {
    const unauthorized = await hub.app.inject({ method: 'PUT', url: '/devices/x-1', payload: {} });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json()).toEqual({ error: 'unauthorized', message: 'send a valid x-api-key header' });
    const created = await register('x-1', { name: 'Boiler room', latitude: 52.5, longitude: 13.4 });
    expect(created.statusCode).toBe(201);
    const { token, device } = created.json() as {
      token: string;
      device: { deviceId: string; status: string };
    };
    expect(token).toMatch(/^iotd_[A-Za-z0-9_-]{43}$/);
    expect(device).toMatchObject({ deviceId: 'x-1', status: 'active', lastSeenAt: null });

    const stored = await harness.pool.query('SELECT token_hash FROM iot_devices WHERE device_id = $1', [
      'x-1',
    ]);
    expect(Buffer.from(stored.rows[0].token_hash).toString('utf8')).not.toContain(token);
    expect(
      JSON.stringify((await hub.app.inject({ url: '/devices/x-1', headers: admin })).json()),
    ).not.toContain(token);

    const again = await register('x-1', { name: 'Boiler room 2' });
    expect(again.statusCode).toBe(200);
    expect(again.json().token).not.toBe(token);

    await register('x-2');
    const list = await hub.app.inject({ url: '/devices?limit=1', headers: admin });
    expect(list.json()).toMatchObject({ devices: [{ deviceId: 'x-1', name: 'Boiler room 2' }], next: 'x-1' });
    const rest = await hub.app.inject({ url: '/devices?after=x-1', headers: admin });
    expect(rest.json().devices.map((d: { deviceId: string }) => d.deviceId)).toEqual(['x-2']);
    const nope = await hub.app.inject({ url: '/devices/nope', headers: admin });
    expect(nope.statusCode).toBe(404);
    expect(nope.json()).toEqual({ error: 'not_found', message: 'no device nope' });
    const badId = await register('bad id!');
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({
      error: 'bad_request',
      message: 'invalid path parameters',
      fields: [{ field: 'deviceId' }],
    });
    const badBody = await register('x-3', { latitude: 100 });
    expect(badBody.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [expect.objectContaining({ field: 'latitude' })],
    });
    const noRoute = await hub.app.inject({ url: '/device', headers: admin });
    expect(noRoute.json()).toEqual({ error: 'not_found', message: 'no route GET /device' });
  });

  it('accepts an NDJSON batch with the device token and shows last-seen', async () => {
    const { token } = (await register('h-1')).json() as { token: string };
    const batch = [reading('h-1', 1), reading('h-1', 2), reading('h-1', 3)];
    const response = await ingest(token, batch);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 3, rejected: 0 });
    const records = (await harness.admin.readTopic(harness.topics.telemetry.name)).filter(
      (r) => r.key === 'h-1',
    );
    expect(records.map((r) => JSON.parse(r.value ?? '{}').seq)).toEqual([1, 2, 3]);
    await expect
      .poll(
        async () =>
          (await hub.app.inject({ url: '/devices/h-1', headers: admin })).json().device.lastReadingTs,
        {
          timeout: 10_000,
        },
      )
      .toBe(batch[2]?.ts);
  });

  it('answers 401 without a valid token and 403 for a disabled device', async () => {
    for (const token of [undefined, 'iotd_forged']) {
      const refused = await ingest(token, [reading('h-1', 1)]);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(refused.json()).toEqual({
        error: 'unauthorized',
        message: 'send the device token as Authorization: Bearer <token>',
      });
    }
    const { token } = (await register('h-off')).json() as { token: string };
    const disabled = await hub.app.inject({ method: 'POST', url: '/devices/h-off/disable', headers: admin });
    expect(disabled.json().device).toMatchObject({ status: 'disabled' });
    const forbidden = await ingest(token, [reading('h-off', 1)]);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ error: 'forbidden', message: 'the device is disabled' });
    expect(
      (await hub.app.inject({ method: 'POST', url: '/devices/none/disable', headers: admin })).statusCode,
    ).toBe(404);
  });

  it('reports each failing line with 400, accepts the valid ones, and dead-letters the invalid ones', async () => {
    const { token } = (await register('h-2')).json() as { token: string };
    const response = await ingest(token, [
      reading('h-2', 1),
      { ...reading('h-2', 2), metrics: { ...reading('h-2', 2).metrics, humidity: 140 } },
      '{not json',
      reading('h-1', 4), // another device's reading with h-2's token
      reading('h-2', 5),
    ]);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ error: 'bad_request', message: '2 line(s) accepted, 3 rejected' });
    expect(body.fields).toEqual([
      expect.objectContaining({ field: 'lines/2/metrics/humidity' }),
      expect.objectContaining({ field: 'lines/3' }),
      expect.objectContaining({ field: 'lines/4/deviceId' }),
    ]);
    const accepted = (await harness.admin.readTopic(harness.topics.telemetry.name)).filter(
      (r) => r.key === 'h-2',
    );
    expect(accepted.map((r) => JSON.parse(r.value ?? '{}').seq)).toEqual([1, 5]);
    const dlq = await harness.admin.readTopic(`${harness.topics.telemetry.name}.dlq`);
    expect(dlq).toHaveLength(2);
    expect(dlq.every((r) => r.headers[dlqHeaders.sourceTopic] === 'http:/ingest')).toBe(true);
    expect(await hub.metric('iot_hub_readings_total', { channel: 'http', outcome: 'invalid' })).toBe(2);
  });

  it('rejects an empty body, a body that is not NDJSON, and a body over the limit', async () => {
    const { token } = (await register('h-3')).json() as { token: string };
    expect((await ingest(token, [])).statusCode).toBe(400);
    const json = await hub.app.inject({
      method: 'POST',
      url: '/ingest',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toEqual({
      error: 'unsupported_media_type',
      message: 'send application/json (or application/x-ndjson to /ingest)',
    });
    const huge = Array.from({ length: 2000 }, (_, i) => reading('h-3', i));
    const tooLarge = await ingest(token, huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toBe('payload_too_large');
  });

  it('refuses a reading dated beyond the allowed skew into the future: 400 naming lines/N/ts, dead-lettered, the rest accepted', async () => {
    const { token } = (await register('h-future')).json() as { token: string };
    const now = Date.now();
    const response = await ingest(token, [
      reading('h-future', 1, now),
      reading('h-future', 2, Date.UTC(2099, 0, 1)),
      reading('h-future', 3, now),
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad_request',
      message: '2 line(s) accepted, 1 rejected',
      fields: [
        {
          field: 'lines/2/ts',
          message: expect.stringMatching(/^must not lie more than 300000 ms in the future/),
        },
      ],
    });
    const accepted = (await harness.admin.readTopic(harness.topics.telemetry.name)).filter(
      (r) => r.key === 'h-future',
    );
    expect(accepted.map((r) => JSON.parse(r.value ?? '{}').seq)).toEqual([1, 3]);
    const dead = (await harness.admin.readTopic(`${harness.topics.telemetry.name}.dlq`)).filter(
      (r) => r.key === 'h-future',
    );
    expect(dead.map((r) => r.headers[dlqHeaders.reason])).toEqual([
      expect.stringMatching(/^invalid SensorReading: ts: must not lie more than 300000 ms in the future/),
    ]);
  });
});

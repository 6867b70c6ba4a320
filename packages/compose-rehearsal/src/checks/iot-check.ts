import mqtt from 'mqtt';
import { expectStatus, type IngressCheck, request, until } from './ingress-check.ts';

/**
 * iot: a device registered at iot-hub (port 8091) publishes one reading over MQTT (the compose
 * `mosquitto`, published on 1883) → the reading as a row of the Parquet lake, queried through
 * iot-analytics (port 8092).
 */
export const iotCheck: IngressCheck = {
  profile: 'iot',
  describe: 'an MQTT reading of a registered device → a row of the lake, read by iot-analytics',
  path: ['iot-hub', 'iot-processor', 'iot-analytics'],
  traced: ['iot-hub', 'iot-processor'],
  async run(context) {
    const hubEnv = context.environment('iot-hub');
    const hub = `http://${context.published('iot-hub', 8091)}`;
    const deviceId = `rehearsal-${context.id}`;
    const registered = await request('PUT', `${hub}/devices/${deviceId}`, {
      headers: { 'x-api-key': hubEnv.HUB_ADMIN_KEY ?? '' },
      body: { name: 'compose rehearsal' },
    });
    expectStatus(`PUT /devices/${deviceId}`, registered, 201);
    const reading = {
      deviceId,
      ts: new Date().toISOString(),
      seq: 1,
      metrics: { temperature: 21.5, humidity: 40, pressure: 1012, battery: 97, vibration: 0.4 },
    };
    // the device's own identity at the broker: username = client id = deviceId, password = its token
    const { token } = registered.body as { token: string };
    const client = await mqtt.connectAsync(context.mqttUrl, {
      protocolVersion: 5,
      clientId: deviceId,
      username: deviceId,
      password: token,
      reconnectPeriod: 0,
    });
    try {
      await client.publishAsync(
        `${hubEnv.MQTT_TOPIC_PREFIX ?? ''}devices/${deviceId}/telemetry`,
        JSON.stringify(reading),
        {
          qos: 1,
        },
      );
    } finally {
      await client.endAsync();
    }
    const analytics = `http://${context.published('iot-analytics', 8092)}`;
    const rows = await until('the reading in the lake', context.timeoutMs, async () => {
      const got = await request('POST', `${analytics}/api/sql`, {
        headers: { 'x-api-key': context.environment('iot-analytics').ANALYTICS_SQL_KEY ?? '' },
        body: { sql: `select device_id, temperature from raw where device_id = '${deviceId}'` },
      });
      expectStatus('POST /api/sql', got, 200);
      const body = got.body as { rows?: unknown[] };
      return (body.rows?.length ?? 0) > 0 ? body.rows : undefined;
    });
    return `device ${deviceId}: ${rows?.length} lake row(s) ${JSON.stringify(rows?.[0])}`;
  },
};

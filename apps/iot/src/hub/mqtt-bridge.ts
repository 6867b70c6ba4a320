import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { IotMqttTopics } from '../common/mqtt-topics.ts';
import { HubSettingsError } from './errors.ts';
import type { HubMetrics } from './hub-metrics.ts';
import { traceCarrierOf, withIngestSpan } from './ingest-span.ts';
import { deferPubacks } from './mqtt-deferred-acks.ts';
import type { ReadingIngest } from './reading-ingest.ts';

export interface MqttBridgeSettings {
  readonly url: string;
  readonly topics: IotMqttTopics;
  /** Shared-subscription group: hub replicas in one group split the devices' messages. */
  readonly shareGroup: string;
  /** MQTT client id; a stable id keeps the session (and unacknowledged messages) across reconnects. */
  readonly clientId: string;
  /** Messages the broker may send before we acknowledge (MQTT 5 Receive Maximum): bounds work in flight. */
  readonly maxInFlight: number;
  /** Larger payloads are dead-lettered unparsed (an excerpt): their DLQ record must fit Kafka's limit. */
  readonly maxPayloadBytes: number;
  readonly username?: string;
  readonly password?: string;
}

export interface MqttBridge {
  /** Unsubscribes, waits for the messages in flight to be acknowledged, disconnects. */
  stop(): Promise<void>;
  readonly connected: boolean;
}

export interface MqttBridgeDeps {
  readonly ingest: ReadingIngest;
  readonly hubMetrics: HubMetrics;
  readonly onError: (error: unknown) => void;
}

/**
 * MQTT → Kafka. Subscribes with QoS 1 to `$share/<group>/<prefix>devices/+/telemetry` and answers
 * each PUBLISH with its PUBACK only after the reading is in Kafka (or rejected for good: invalid,
 * unknown or disabled device), so nothing a device was told is accepted can be lost. When Kafka
 * fails the connection is dropped without the ack and the broker redelivers on reconnect. A device
 * lookup PostgreSQL cannot answer does not fail the reading: the last known status is used, or the
 * reading waits for the registry (device-cache.ts), so a database outage drops no connection.
 */
export async function startMqttBridge(
  settings: MqttBridgeSettings,
  deps: MqttBridgeDeps,
): Promise<MqttBridge> {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]+$/.test(settings.shareGroup)) problems.push('shareGroup must match [A-Za-z0-9_-]+');
  if (!Number.isInteger(settings.maxInFlight) || settings.maxInFlight < 1 || settings.maxInFlight > 65_535)
    problems.push('maxInFlight must be an integer in 1..65535');
  if (!Number.isInteger(settings.maxPayloadBytes) || settings.maxPayloadBytes < 1)
    problems.push('maxPayloadBytes must be a positive integer');
  if (settings.clientId.length === 0) problems.push('clientId must not be empty');
  if (problems.length > 0) throw new HubSettingsError('MQTT bridge', problems);

  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: settings.clientId,
    clean: false,
    // keep the session (and its unacknowledged messages) for 5 minutes after a disconnect
    properties: { receiveMaximum: settings.maxInFlight, sessionExpiryInterval: 300 },
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
  };
  // connected only once the handler below is in place: a resumed session's queued messages come
  // right behind the CONNACK, and mqtt.js's default handler would acknowledge them unread (lost)
  const client: MqttClient = mqtt.connect(settings.url, { ...options, manualConnect: true });

  const acks = deferPubacks(client, {
    onFailure(error) {
      deps.onError(error);
      // drop the connection: unacknowledged messages come back from the session on reconnect
      client.stream.destroy();
    },
    onInFlightChange: (n) => deps.hubMetrics.mqttInFlight.set(n),
  });

  client.handleMessage = (packet: IPublishPacket, callback) => {
    const topic = packet.topic;
    const deviceId = settings.topics.deviceIdOf(topic);
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const source = { channel: 'mqtt', origin: topic, deviceId } as const;
    const work =
      payload.length > settings.maxPayloadBytes
        ? deps.ingest.rejectOversized(payload, settings.maxPayloadBytes, source)
        : withIngestSpan(
            traceCarrierOf(packet.properties?.userProperties),
            'iot.hub mqtt reading',
            { 'messaging.destination.name': topic },
            () => deps.ingest.ingestBytes(payload, source),
          );
    acks.track(packet, work);
    // return at once: the next message is read while this one is produced; the PUBACK waits for `work`
    callback();
  };
  await firstConnect(client);
  client.on('error', deps.onError);

  const filter = settings.topics.sharedTelemetryFilter(settings.shareGroup);
  await client.subscribeAsync(filter, { qos: 1 });
  // after a reconnect with a lost session the subscription must be made again
  client.on('connect', (connack) => {
    if (!connack.sessionPresent) client.subscribe(filter, { qos: 1 }, (e) => e && deps.onError(e));
  });

  return {
    get connected() {
      return client.connected;
    },
    async stop() {
      await client.unsubscribeAsync(filter).catch(() => undefined);
      await acks.drain();
      await client.endAsync();
    },
  };
}

/** Connects a client made with `manualConnect`; rejects (and closes it) on the first error, as connectAsync does. */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      client.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      client.off('connect', onConnect);
      client.end(true);
      reject(error);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
    client.connect();
  });
}

import type { SensorReading } from '@streamkit/schemas';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { IotMqttTopics } from '../common/mqtt-topics.ts';

export interface ReadingPublisher {
  /** Publishes with QoS 1; waits first while `maxInFlight` publishes are unacknowledged. */
  publish(reading: SensorReading): Promise<void>;
  /** Publishes a raw payload on a device's topic (tests: malformed messages). */
  publishRaw(deviceId: string, payload: string | Buffer): Promise<void>;
  /** Waits for every publish to be acknowledged by the broker. */
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly published: number;
}

export interface PublisherSettings {
  readonly url: string;
  readonly topics: IotMqttTopics;
  readonly clientId?: string;
  /** Unacknowledged publishes at most (default 1000). */
  readonly maxInFlight?: number;
  readonly username?: string;
  readonly password?: string;
}

/**
 * One MQTT connection publishing for many simulated devices (each on its own topic). A real
 * fleet has one connection per device; one shared connection lets a single process play 100,000.
 */
export async function createReadingPublisher(settings: PublisherSettings): Promise<ReadingPublisher> {
  const options: IClientOptions = {
    protocolVersion: 5,
    ...(settings.clientId === undefined ? {} : { clientId: settings.clientId }),
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
    reconnectPeriod: 1000,
  };
  const client: MqttClient = await mqtt.connectAsync(settings.url, options);
  const maxInFlight = settings.maxInFlight ?? 1000;
  const inFlight = new Set<Promise<unknown>>();
  // callers waiting for a free slot, first come first served (a Promise.race per waiter over
  // thousands of publishes would allocate quadratically)
  const waiting: (() => void)[] = [];
  let published = 0;
  let failure: unknown;

  async function send(topic: string, payload: string | Buffer): Promise<void> {
    if (failure !== undefined) throw failure;
    if (inFlight.size >= maxInFlight || waiting.length > 0) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    const p: Promise<unknown> = client
      .publishAsync(topic, payload, { qos: 1 })
      .then(() => {
        published++;
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        inFlight.delete(p);
        waiting.shift()?.();
      });
    inFlight.add(p);
  }

  return {
    publish: (reading) => send(settings.topics.telemetry(reading.deviceId), JSON.stringify(reading)),
    publishRaw: (deviceId, payload) => send(settings.topics.telemetry(deviceId), payload),
    async flush() {
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
    },
    async close() {
      await Promise.all(inFlight);
      await client.endAsync();
    },
    get published() {
      return published;
    },
  };
}

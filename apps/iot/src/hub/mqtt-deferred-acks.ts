import type { IPublishPacket, MqttClient } from 'mqtt';

type SendPacket = (
  packet: { cmd: string; messageId?: number },
  cb?: (error?: Error) => void,
  ...rest: unknown[]
) => void;

export interface DeferredAcks {
  /** The PUBACK of `packet` goes out when `work` resolves (never if it rejects). */
  track(packet: IPublishPacket, work: Promise<unknown>): void;
  /** Resolves when every tracked message was acknowledged or abandoned. */
  drain(): Promise<void>;
}

/**
 * mqtt.js handles incoming PUBLISH packets one at a time and sends each PUBACK as soon as
 * `handleMessage` calls back; awaiting Kafka there would allow one message in flight per
 * connection (a few hundred per second). Instead `handleMessage` returns at once and this holds
 * each PUBACK back until its message is in Kafka, sending them in arrival order (MQTT 5 §4.6 wants
 * QoS 1 acks in order). The number of unacknowledged messages is bounded by Receive Maximum.
 *
 * It replaces the client's internal `_sendPacket` for PUBACKs of tracked messages only: mqtt.js 5
 * offers no public hook for late acks (its docs ask handleMessage to call back per message).
 */
export function deferPubacks(
  client: MqttClient,
  hooks: { onFailure(error: unknown): void; onInFlightChange(n: number): void },
): DeferredAcks {
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send: SendPacket = internals._sendPacket.bind(client);
  const pending = new Map<number, Promise<unknown>>();
  let chain: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let failedGeneration = -1;
  let generation = 0;

  internals._sendPacket = (packet, cb, ...rest) => {
    const work =
      packet.cmd === 'puback' && packet.messageId !== undefined ? pending.get(packet.messageId) : undefined;
    if (work === undefined) {
      send(packet, cb, ...rest);
      return;
    }
    pending.delete(packet.messageId as number);
    const myGeneration = generation;
    chain = chain
      .then(() => work)
      .then(
        () => {
          // a message id of a closed connection means nothing to the broker's new session view:
          // the broker resends that message, so its ack is dropped
          if (myGeneration === generation) send(packet, undefined, ...rest);
        },
        (error: unknown) => {
          if (myGeneration === generation && failedGeneration !== myGeneration) {
            failedGeneration = myGeneration;
            hooks.onFailure(error);
          }
        },
      )
      .finally(() => {
        inFlight--;
        hooks.onInFlightChange(inFlight);
      });
    cb?.(); // lets mqtt.js read the next packet now
  };

  client.on('close', () => {
    generation++;
  });

  return {
    track(packet, work) {
      // avoid unhandled rejections: the failure is handled in the ack chain
      work.catch(() => undefined);
      if (packet.qos === 0 || packet.messageId === undefined) return;
      inFlight++;
      hooks.onInFlightChange(inFlight);
      pending.set(packet.messageId, work);
    },
    async drain() {
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
  };
}

import type { Kafka, Producer } from 'kafkajs';
import type { ProducerTransport } from '../driver.ts';
import { kafkajsProducer } from './client.ts';

/** Errors after which the broker no longer accepts this producer session's sequence numbers. */
const LOST_SESSION = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

/** Whether `error` (or an error it wraps) says the broker dropped this producer session. */
export function lostSession(error: unknown): boolean {
  for (let e = error as { type?: unknown; cause?: unknown } | undefined; e !== undefined && e !== null; ) {
    if (typeof e.type === 'string' && LOST_SESSION.has(e.type)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** An idempotent kafkajs producer; one request in flight (kafkajs does not re-sequence concurrent ones). */
export async function connectKafkajsProducer(kafka: Kafka): Promise<ProducerTransport> {
  const connect = async (): Promise<Producer> => {
    const producer = kafkajsProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return producer;
  };
  let producer = await connect();
  return {
    async sendBatch(records) {
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...records] });
      } catch (error) {
        // kafkajs keeps a session's sequence numbers after the broker stopped accepting them (a
        // broker restart mid-send): every later send failed with "out of order sequence number"
        // until the process restarted (kafkajs#598; the dashboard shipper in a chaos run). A new
        // session (a new producer id) starts its sequences over; the caller retries the batch,
        // whose copies, if any, the consumers' idempotence absorbs. The broker down: try again next time.
        if (lostSession(error)) {
          const fresh = await connect().catch(() => undefined);
          if (fresh !== undefined) {
            const old = producer;
            producer = fresh;
            await old.disconnect().catch(() => undefined);
          }
        }
        throw error;
      }
    },
    disconnect: () => producer.disconnect(),
  };
}

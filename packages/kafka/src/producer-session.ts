import type { PipelineMetrics } from '@streamkit/telemetry';
import { connectThrough, type KafkaClient } from './client.ts';
import type { ProducerTransport } from './driver.ts';
import {
  KafkaConnectionError,
  KafkaRequestError,
  messageOf,
  protocolErrorIn,
  StreamkitKafkaError,
} from './errors.ts';
import type { TopicRecords } from './records.ts';

/**
 * Broker answers meaning the idempotent session (producer id + per-partition sequence numbers) is
 * no longer usable: the client library keeps failing every later request with it
 * (tulios/kafkajs#598). A new producer id, with sequences from 0, is the only way out.
 */
const SESSION_LOST = new Map<string, string>([
  ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'out_of_order_sequence'],
  ['UNKNOWN_PRODUCER_ID', 'unknown_producer_id'],
  ['INVALID_PRODUCER_EPOCH', 'invalid_producer_epoch'],
]);

/** Why `error` (or an error in its cause chain) means the session is lost; undefined if it does not. */
export function sessionLossReason(error: unknown): string | undefined {
  const type = protocolErrorIn(error, SESSION_LOST);
  return type === undefined ? undefined : SESSION_LOST.get(type);
}

export interface ProducerSessionSettings {
  /** How long one batch may wait for a new session (reconnects included) before it fails, retriable. */
  readonly resetTimeoutMs: number;
  readonly resets?: PipelineMetrics['producerSessionResets'];
}

/**
 * The shared producer's connection to the client library, renewed when its idempotent session is
 * lost. Two cases start a new session (disconnect, connect: a new producer id, sequences from 0):
 * - the broker answers OUT_OF_ORDER_SEQUENCE_NUMBER / UNKNOWN_PRODUCER_ID / INVALID_PRODUCER_EPOCH:
 *   the batch is then sent again on the new session (at least once; consumers dedup);
 * - any other failed request (connection lost, timeout): the broker may have appended it while
 *   kafkajs rewound its sequence numbers, so the next, different, batch would reuse them and be
 *   refused as out of order forever, or acknowledged as a duplicate and silently dropped. The
 *   failure goes to the callers as before; the next batch goes out on a new session.
 * Callers see one batch at a time (the producer's flush loop), so sends that arrive during a reset
 * wait in the producer's bounded buffer.
 */
export async function openProducerSession(kafka: KafkaClient, settings: ProducerSessionSettings) {
  const connect = () => connectThrough(kafka, 'producer', (driver) => driver.connectProducer());
  let transport: ProducerTransport | undefined = await connect();
  let staleReason: string | undefined;

  async function renew(reason: string, deadline: number): Promise<ProducerTransport> {
    const old = transport;
    transport = undefined;
    await old?.disconnect().catch(() => undefined);
    for (let attempt = 1; ; attempt++) {
      try {
        const renewed = await connect();
        settings.resets?.inc({ reason });
        kafka.logger.warn(`kafka producer: new idempotent session (new producer id) after ${reason}`, {
          reason,
          attempt,
        });
        return renewed;
      } catch (error) {
        const left = deadline - Date.now();
        if (left <= 0 || (error instanceof StreamkitKafkaError && !error.retriable)) {
          throw new KafkaConnectionError(
            `producer could not start a new session after ${reason} (${attempt} attempts): ${messageOf(error)}`,
            error,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(left, 100 * 2 ** Math.min(attempt, 5))));
      }
    }
  }

  return {
    /** Sends one batch; resolves once the broker has it (acks=all). */
    async sendBatch(records: readonly TopicRecords[]): Promise<void> {
      const deadline = Date.now() + settings.resetTimeoutMs;
      for (let renewed = false; ; renewed = true) {
        if (transport === undefined || staleReason !== undefined) {
          transport = await renew(staleReason ?? 'reconnect', deadline);
          staleReason = undefined;
        }
        try {
          await transport.sendBatch(records);
          return;
        } catch (error) {
          const reason = sessionLossReason(error);
          staleReason = reason ?? 'failed_request';
          if (reason === undefined) throw error;
          if (renewed || Date.now() >= deadline) {
            // lost again on a brand-new session: this batch fails, retriable (the next one renews)
            throw new KafkaRequestError(`produce failed on a new producer session: ${messageOf(error)}`, {
              retriable: true,
              cause: error,
            });
          }
        }
      }
    },
    async disconnect(): Promise<void> {
      await transport?.disconnect();
      transport = undefined;
    },
  };
}

import type { Kafka } from 'kafkajs';
import type { TransactionalProducer, TransactionalProducerSettings } from '../driver.ts';
import { fromClientError, messageOf, protocolErrorIn } from '../errors.ts';
import { kafkajsProducer } from './client.ts';

/**
 * runTransactionalProcessor's producer on kafkajs: offsets go in with sendOffsets for the group
 * id. kafkajs implements neither per-partition transactional ids nor KIP-447 (see README).
 */
/** Broker answers meaning another producer took this transactional id over. */
const FENCED = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

export async function connectKafkajsTransactional(
  kafka: Kafka,
  settings: TransactionalProducerSettings,
): Promise<TransactionalProducer> {
  const open = () =>
    kafkajsProducer(kafka, {
      transactionalId: settings.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: settings.transactionTimeoutMs,
      // The broker answers CONCURRENT_TRANSACTIONS while the previous transaction's markers are
      // still being written, which is routine right after a commit. kafkajs retries it with its
      // default 300 ms first backoff; a short one (as the Java client does) keeps a transaction at a
      // few ms instead of hundreds (measured: p90 341 ms → 19 ms on the local broker).
      retry: { initialRetryTime: 10, maxRetryTime: 1000, multiplier: 1.2, retries: 30 },
    });
  let producer = open();
  await producer.connect();
  // An abort that fails (the coordinator moved: a broker restart) leaves kafkajs's producer in
  // ABORTING, where every later begin throws a non-retriable state error and the consumer would
  // crash. A fresh producer with the same transactional id is fenced in by InitProducerId, which
  // also aborts the open transaction on the broker: the next begin starts from that. Not when
  // this producer was itself fenced: a newer instance owns the id, and this zombie must stop.
  let broken = false;
  async function reopen(): Promise<void> {
    await producer.disconnect().catch(() => undefined);
    producer = open();
    await producer.connect();
    broken = false;
    settings.logger.info('transactional producer reopened after a failed abort');
  }
  return {
    async begin() {
      const tx = await (async () => {
        if (broken) await reopen();
        return producer.transaction();
      })().catch((error: unknown) => {
        throw fromClientError('begin transaction', error);
      });
      // the first failure of this transaction: a fenced one means the abort must not reopen
      let failure: unknown;
      const noting = async (step: Promise<unknown>) => {
        try {
          await step;
        } catch (error) {
          failure ??= error;
          throw error;
        }
      };
      return {
        async send(records) {
          if (records.length > 0) await noting(tx.sendBatch({ acks: -1, topicMessages: [...records] }));
        },
        async addOffsets(positions) {
          await noting(
            tx.sendOffsets({
              consumerGroupId: settings.groupId,
              topics: [
                {
                  topic: settings.topic,
                  partitions: positions.map((p) => ({ partition: p.progress.partition, offset: p.next })),
                },
              ],
            }),
          );
        },
        commit: () => noting(tx.commit()),
        async abort() {
          await tx.abort().catch((e: unknown) => {
            const fenced = protocolErrorIn(e, FENCED) ?? protocolErrorIn(failure, FENCED);
            broken = fenced === undefined;
            settings.logger.warn('transaction abort failed', {
              error: messageOf(e),
              ...(fenced === undefined ? {} : { fenced }),
            });
          });
        },
      };
    },
    disconnect: () => producer.disconnect(),
  };
}

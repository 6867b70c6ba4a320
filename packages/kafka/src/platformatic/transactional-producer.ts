import { ProduceAcks, Producer } from '@platformatic/kafka';
import type {
  DriverConfig,
  PartitionProgress,
  TransactionalProducer,
  TransactionalProducerSettings,
} from '../driver.ts';
import { fromClientError, KafkaSettingsError, messageOf } from '../errors.ts';
import type { PlatformaticProgress } from './consumer.ts';
import {
  baseOptions,
  closedOnFailure,
  javaCompatiblePartitioner,
  toPlatformaticMessages,
} from './options.ts';

/**
 * runTransactionalProcessor's producer on @platformatic/kafka. Offsets go in with TxnOffsetCommit
 * carrying the consuming member's group generation (KIP-447): a zombie member whose generation is
 * stale is fenced by the coordinator, which the kafkajs driver cannot do.
 * The library uses its request `timeout` as the transaction timeout, so both are transactionTimeoutMs.
 */
export async function connectPlatformaticTransactional(
  config: DriverConfig,
  settings: TransactionalProducerSettings,
): Promise<TransactionalProducer> {
  const producer = new Producer({
    ...baseOptions(config, 'tx-producer'),
    timeout: settings.transactionTimeoutMs,
    transactionalId: settings.transactionalId,
    idempotent: true,
    // "no producer yet": the library otherwise sends producer id 0 / epoch 0 in InitProducerId, which
    // the broker answers PRODUCER_FENCED for any transactional id used before (a restart, or a
    // kafkajs instance of the same processor), so the processor could never start again.
    producerId: -1n,
    producerEpoch: -1,
    acks: ProduceAcks.ALL,
    partitioner: javaCompatiblePartitioner,
    retries: 12,
    // CONCURRENT_TRANSACTIONS right after a commit is routine: retry soon (see the kafkajs driver)
    retryDelay: 10,
  });
  // fail here, not at the first transaction
  await closedOnFailure(() => producer.close(true), producer.metadata({ topics: [settings.topic] }));
  return {
    async begin() {
      const tx = await producer.beginTransaction().catch(async (error: unknown) => {
        // @platformatic/kafka 2.12 keeps a transaction that failed to begin (e.g. InitProducerId
        // answered CONCURRENT_TRANSACTIONS while the previous owner of this transactional id is
        // being fenced) as "active", so every later begin would fail: drop it locally.
        await producer.transaction?.cancel().catch(() => undefined);
        throw fromClientError('begin transaction', error);
      });
      // the broker rejects EndTxn for a transaction it never saw: one that failed in `process`
      // before anything was sent is only dropped locally (kafkajs does the same)
      let reachedBroker = false;
      return {
        async send(records) {
          reachedBroker = true;
          const messages = toPlatformaticMessages(records);
          if (messages.length > 0) await tx.send({ messages });
        },
        async addOffsets(positions) {
          reachedBroker = true;
          for (const { progress, last } of positions) {
            const own = platformaticProgress(progress);
            const record = own.nativeAt(last);
            if (record === undefined) throw new RangeError('transaction work without its consumed record');
            await tx.addConsumer(own.consumer);
            await tx.addOffset(record);
          }
        },
        commit: () => tx.commit(),
        async abort() {
          if (!reachedBroker) {
            await tx.cancel().catch(() => undefined);
            return;
          }
          await tx.abort().catch(async (e: unknown) => {
            settings.logger.warn('transaction abort failed', { error: messageOf(e) });
            await tx.cancel().catch(() => undefined);
          });
        },
      };
    },
    disconnect: () => producer.close(),
  };
}

/** The progress of a platformatic consumer (the only consumer that drives this producer). */
function platformaticProgress(progress: PartitionProgress): PlatformaticProgress {
  if (!('nativeAt' in progress)) {
    throw new KafkaSettingsError('transactional processor', [
      'a platformatic transactional producer needs the platformatic consumer',
    ]);
  }
  return progress as PlatformaticProgress;
}

import { ProduceAcks, Producer } from '@platformatic/kafka';
import type { KafkaClient } from '../client.ts';
import { fromClientError, HandlerError, KafkaSettingsError, messageOf } from '../errors.ts';
import type { TransactionalProducer, TransactionalProducerSettings } from '../transactional-producer.ts';
import type { PlatformaticProgress } from './consumer-loop.ts';
import { baseOptions, javaCompatiblePartitioner, toPlatformatic } from './options.ts';

/**
 * runTransactionalProcessor's producer on @platformatic/kafka. Offsets go in with TxnOffsetCommit
 * carrying the consuming member's group generation (KIP-447): a zombie member whose generation is
 * stale is fenced by the coordinator, which the kafkajs path cannot do.
 * The library uses its request `timeout` as the transaction timeout, so both are transactionTimeoutMs.
 */
export async function connectPlatformaticTransactional(
  kafka: KafkaClient,
  settings: TransactionalProducerSettings,
): Promise<TransactionalProducer> {
  const producer = new Producer({
    ...baseOptions(kafka, 'tx-producer'),
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
    // CONCURRENT_TRANSACTIONS right after a commit is routine: retry soon (see the kafkajs path)
    retryDelay: 10,
  });
  try {
    await producer.metadata({ topics: [settings.topic] }); // fail here, not at the first transaction
  } catch (error) {
    await producer.close(true).catch(() => undefined);
    throw fromClientError('transactional producer could not connect', error);
  }
  return {
    async commitTogether(works, out) {
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
      try {
        for (const work of works) await work.fill(out);
        reachedBroker = true;
        const messages = out
          .topicMessages()
          .flatMap(({ topic, messages }) => messages.map((m) => toPlatformatic(topic, m)));
        if (messages.length > 0) await tx.send({ messages });
        for (const work of works) {
          const progress = platformaticProgress(work.progress);
          const last = work.entries.at(-1);
          const record = last === undefined ? undefined : progress.nativeAt(last.raw.offset);
          if (record === undefined) throw new RangeError('transaction work without its consumed record');
          await tx.addConsumer(progress.consumer);
          await tx.addOffset(record);
        }
        await tx.commit();
      } catch (error) {
        if (reachedBroker) {
          await tx.abort().catch(async (e: unknown) => {
            settings.logger.warn('transaction abort failed', { error: messageOf(e) });
            await tx.cancel().catch(() => undefined);
          });
        } else {
          await tx.cancel().catch(() => undefined);
        }
        throw error instanceof HandlerError ? error : fromClientError('transaction', error);
      }
    },
    disconnect: () => producer.close(),
  };
}

/** The progress of a platformatic consumer loop (the only loop that drives this producer). */
function platformaticProgress(progress: object): PlatformaticProgress {
  if (!('nativeAt' in progress)) {
    throw new KafkaSettingsError('transactional processor', [
      'a platformatic transactional producer needs the platformatic consumer loop',
    ]);
  }
  return progress as PlatformaticProgress;
}

import { dlqTopicName } from '@streamkit/schemas';
import { connectThrough, type KafkaClient } from './client.ts';
import { type ConsumerRunnerSettings, resolveRunnerSettings } from './consumer.ts';
import { startConsumerLoop } from './consumer-loop.ts';
import { dlqKindOf, dlqRecord } from './dlq.ts';
import type { PartitionProgress } from './driver.ts';
import { type Entry, lastOffset, nextOffset } from './entries.ts';
import { fromClientError, HandlerError } from './errors.ts';
import { callHandler, quarantineReason } from './handler-call.ts';
import type { IsolationSteps } from './isolate.ts';
import { SettingsCheck } from './settings.ts';
import { createTransactionGroup } from './transaction-group.ts';
import { type BufferedOutput, createBufferedOutput } from './transactional-output.ts';
import type { BatchContext, IncomingMessage, RunningConsumer, TransactionalOutput } from './types.ts';

/** One partition's share of a transaction: its records' outputs (or DLQ records) and its offsets. */
interface PartitionWork {
  readonly progress: PartitionProgress;
  readonly entries: readonly Entry<unknown>[];
  readonly out: BufferedOutput;
}

export type TransactionalProcessorSettings<T> = ConsumerRunnerSettings<T> & {
  /**
   * The producer's transactional.id: unique per running instance and stable across its restarts
   * (e.g. `${prefix}-${instanceId}`), so a restarted instance fences its own predecessor.
   */
  readonly transactionalId: string;
  /** Turns a batch of valid records into outputs queued with `out.send`; throw to abort and retry. */
  readonly process: (
    messages: IncomingMessage<T>[],
    out: TransactionalOutput,
    ctx: BatchContext,
  ) => Promise<void>;
  /** The broker aborts a transaction open longer than this (default 60000 ms). */
  readonly transactionTimeoutMs?: number;
  /** Partitions fetched side by side by this member (default 16); their work shares transactions. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Longest a transaction waits for partitions still in `process` to join it (default 20 ms), so
   * the partitions of one fetch share one transaction; 0 starts each one as soon as work is ready.
   */
  readonly commitLingerMs?: number;
};

/**
 * Exactly-once read-process-write: each run of records becomes one Kafka transaction holding the
 * outputs `process` queued, the DLQ records of invalid inputs and the consumed offsets. A failure
 * aborts it (its outputs are never visible to read_committed consumers) and the same records are
 * processed again. Partitions are fetched side by side; a transactional producer has one
 * transaction open at once, so the work of all partitions ready meanwhile shares the next one
 * (group commit). `process` runs outside the transaction, for one partition's records per call;
 * calls for different partitions may run side by side (never two for the same partition).
 */
export async function runTransactionalProcessor<T>(
  kafka: KafkaClient,
  settings: TransactionalProcessorSettings<T>,
): Promise<RunningConsumer> {
  const resolved = resolveRunnerSettings(kafka, settings);
  const transactionTimeout = settings.transactionTimeoutMs ?? 60_000;
  const check = new SettingsCheck();
  check.nonEmpty('transactionalId', settings.transactionalId);
  check.that(typeof settings.process === 'function', 'process must be a function');
  check.integer('transactionTimeoutMs', transactionTimeout, 1000, 900_000);
  const concurrency = settings.partitionsConsumedConcurrently ?? 16;
  check.integer('partitionsConsumedConcurrently', concurrency, 1, 1000);
  const lingerMs = settings.commitLingerMs ?? 20;
  check.integer('commitLingerMs', lingerMs, 0, 1000);
  check.done('transactional processor');

  const { topic, metrics, logger, groupId } = resolved;
  const producer = await connectThrough(kafka, 'transactional producer', (driver) =>
    driver.connectTransactionalProducer({
      transactionalId: settings.transactionalId,
      transactionTimeoutMs: transactionTimeout,
      groupId,
      topic: topic.name,
      logger,
    }),
  );

  /**
   * One transaction for a group of partitions: their buffered outputs go out in one produce
   * request, then their offsets, then commit; any failure aborts it.
   */
  async function commitTogether(works: readonly PartitionWork[]): Promise<void> {
    const out = createBufferedOutput();
    for (const work of works) out.merge(work.out);
    const tx = await producer.begin();
    try {
      await tx.send(out.topicMessages());
      await tx.addOffsets(
        works.map(({ progress, entries }) => ({
          progress,
          last: lastOffset(entries),
          next: nextOffset(entries),
        })),
      );
      await tx.commit();
    } catch (error) {
      await tx.abort();
      throw error instanceof HandlerError ? error : fromClientError('transaction', error);
    }
    for (const [name, n] of out.counts()) {
      if (name !== dlqTopicName(topic.name)) metrics?.eventsOut.inc({ topic: name }, n);
    }
  }
  const transactions = createTransactionGroup(commitTogether, { lingerMs });

  try {
    return await startConsumerLoop({
      ...resolved,
      readUncommitted: false,
      // partitions are fetched and processed side by side; their transactions are grouped
      partitionsConsumedConcurrently: concurrency,
      release: () => producer.disconnect(),
      stepsFor: (progress): IsolationSteps<Entry<T>> => ({
        async attempt(entries) {
          // processed before the transaction begins, side by side with other partitions; the
          // transaction then only carries the outputs and offsets
          const leave = transactions.enter();
          const out = createBufferedOutput();
          try {
            await callHandler(topic.name, progress.partition, entries, metrics, (valid) =>
              settings.process(valid, out, progress.context),
            );
          } catch (error) {
            leave();
            throw error;
          }
          for (const e of entries) {
            if (e.kind !== 'invalid') continue;
            const { topic: dlq, message } = dlqRecord(e.raw, 'invalid', e.reason);
            out.add(dlq, message);
          }
          const committed = transactions.submit({ progress, entries, out });
          leave();
          await committed;
          const last = entries.at(-1);
          if (last !== undefined) progress.resolve(last.raw.offset);
        },
        async quarantine(entry, error, failure) {
          const reason = quarantineReason(entry.raw, error, logger);
          const out = createBufferedOutput();
          const { topic: dlq, message } = dlqRecord(entry.raw, dlqKindOf(failure), reason);
          out.add(dlq, message);
          await transactions.submit({ progress, entries: [entry], out });
          metrics?.eventsFailed.inc({ topic: topic.name, reason: 'dlq' });
          progress.resolve(entry.raw.offset);
        },
      }),
    });
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
}

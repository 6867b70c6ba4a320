import { dlqTopicName } from '@streamkit/schemas';
import type { KafkaClient } from './client.ts';
import { type ConsumerRunnerSettings, resolveRunnerSettings } from './consumer.ts';
import { startConsumerLoop } from './consumer-loop.ts';
import { dlqRecord } from './dlq.ts';
import { type Entry, validMessages } from './entries.ts';
import { HandlerError } from './errors.ts';
import type { IsolationSteps } from './isolate.ts';
import { SettingsCheck } from './settings.ts';
import { createTransactionGroup } from './transaction-group.ts';
import { createBufferedOutput } from './transactional-output.ts';
import { connectTransactionalProducer, type PartitionWork } from './transactional-producer.ts';
import type { BatchContext, IncomingMessage, RunningConsumer, TransactionalOutput } from './types.ts';

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
};

/**
 * Exactly-once read-process-write: each run of records becomes one Kafka transaction holding the
 * outputs `process` queued, the DLQ records of invalid inputs and the consumed offsets. A failure
 * aborts it (its outputs are never visible to read_committed consumers) and the same records are
 * processed again. Partitions are fetched side by side; a transactional producer has one
 * transaction open at once, so the work of all partitions ready meanwhile shares the next one
 * (group commit). `process` is called for one partition's records at a time, never concurrently.
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
  check.done('transactional processor');

  const { topic, metrics, logger, groupId } = resolved;
  const producer = await connectTransactionalProducer(kafka, {
    transactionalId: settings.transactionalId,
    transactionTimeoutMs: transactionTimeout,
    groupId,
    topic: topic.name,
    logger,
  });

  /** One transaction for a group of partitions: their outputs in one request, their offsets, commit. */
  async function commitTogether(works: readonly PartitionWork[]): Promise<void> {
    const out = createBufferedOutput();
    await producer.commitTogether(works, out);
    for (const [name, n] of out.counts()) {
      if (name !== dlqTopicName(topic.name)) metrics?.eventsOut.inc({ topic: name }, n);
    }
  }
  const transactions = createTransactionGroup(commitTogether);

  try {
    return await startConsumerLoop({
      ...resolved,
      readUncommitted: false,
      // partitions are fetched and processed side by side; their transactions are grouped
      partitionsConsumedConcurrently: concurrency,
      release: () => producer.disconnect(),
      stepsFor: (progress): IsolationSteps<Entry<T>> => ({
        async attempt(entries) {
          await transactions.submit({
            progress,
            entries,
            async fill(out) {
              const valid = validMessages(entries);
              if (valid.length > 0) {
                const started = performance.now();
                try {
                  await settings.process(valid, out, progress.context);
                } catch (error) {
                  metrics?.eventsFailed.inc({ topic: topic.name, reason: 'handler_error' }, valid.length);
                  throw new HandlerError(
                    topic.name,
                    progress.partition,
                    valid.map((m) => m.offset),
                    error,
                  );
                }
                metrics?.processingSeconds.observe(
                  { topic: topic.name },
                  (performance.now() - started) / 1000,
                );
              }
              for (const e of entries) {
                if (e.kind !== 'invalid') continue;
                const { topic: dlq, message } = dlqRecord(e.raw, 'invalid', e.reason);
                out.add(dlq, message);
              }
            },
          });
          const last = entries.at(-1);
          if (last !== undefined) progress.resolve(last.raw.offset);
        },
        async quarantine(entry, error) {
          const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
          logger.warn(`dead-lettering ${topic.name}[${progress.partition}]@${entry.raw.offset}: ${reason}`);
          await transactions.submit({
            progress,
            entries: [entry],
            async fill(out) {
              const { topic: dlq, message } = dlqRecord(entry.raw, 'unprocessable', reason);
              out.add(dlq, message);
            },
          });
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

import { SchemaValidationError } from '@streamkit/schemas';
import type { Message, Transaction } from 'kafkajs';
import { type KafkaClient, kafkajsProducer } from './client.ts';
import { encodeValue } from './codec.ts';
import { type ConsumerRunnerSettings, resolveRunnerSettings } from './consumer.ts';
import { startConsumerLoop } from './consumer-loop.ts';
import { byTopic, dlqRecord } from './dlq.ts';
import { type Entry, nextOffset, validMessages } from './entries.ts';
import { fromClientError, HandlerError, messageOf } from './errors.ts';
import type { IsolationSteps } from './isolate.ts';
import { SettingsCheck } from './settings.ts';
import { withTraceHeaders } from './trace.ts';
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
};

/**
 * Exactly-once read-process-write: each run of records becomes one Kafka transaction holding the
 * outputs `process` queued, the DLQ records of invalid inputs and the consumed offsets. A failure
 * aborts it (its outputs are never visible to read_committed consumers) and the same records are
 * processed again. Partitions are processed one at a time: a transactional producer has one
 * transaction open at once.
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
  check.done('transactional processor');

  const { topic, metrics, logger, groupId } = resolved;
  const producer = kafkajsProducer(kafka, {
    transactionalId: settings.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout,
  });
  try {
    await producer.connect();
  } catch (error) {
    throw fromClientError('transactional producer could not connect', error);
  }

  /** One transaction: `fill` adds records, then the offsets after `entries` are added and it commits. */
  async function inTransaction(
    entries: readonly Entry<T>[],
    partition: number,
    fill: (tx: Transaction) => Promise<void>,
  ) {
    const tx = await producer.transaction().catch((error: unknown) => {
      throw fromClientError('begin transaction', error);
    });
    try {
      await fill(tx);
      await tx.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: topic.name, partitions: [{ partition, offset: nextOffset(entries) }] }],
      });
      await tx.commit();
    } catch (error) {
      await tx
        .abort()
        .catch((e: unknown) => logger.warn('transaction abort failed', { error: messageOf(e) }));
      throw error instanceof HandlerError ? error : fromClientError('transaction', error);
    }
  }

  try {
    return await startConsumerLoop({
      ...resolved,
      readUncommitted: false,
      partitionsConsumedConcurrently: 1,
      release: () => producer.disconnect(),
      stepsFor: (progress): IsolationSteps<Entry<T>> => ({
        async attempt(entries) {
          await inTransaction(entries, progress.partition, async (tx) => {
            const valid = validMessages(entries);
            if (valid.length > 0) {
              const out = createOutput(tx);
              const started = performance.now();
              try {
                await settings.process(valid, out, progress.context);
              } catch (error) {
                await out.settled();
                metrics?.eventsFailed.inc({ topic: topic.name, reason: 'handler_error' }, valid.length);
                throw new HandlerError(
                  topic.name,
                  progress.partition,
                  valid.map((m) => m.offset),
                  error,
                );
              }
              const counts = await out.flushed();
              for (const [name, n] of counts) metrics?.eventsOut.inc({ topic: name }, n);
              metrics?.processingSeconds.observe({ topic: topic.name }, (performance.now() - started) / 1000);
            }
            const invalid = entries.flatMap((e) =>
              e.kind === 'invalid' ? [dlqRecord(e.raw, 'invalid', e.reason)] : [],
            );
            if (invalid.length > 0) await tx.sendBatch({ acks: -1, topicMessages: byTopic(invalid) });
          });
          const last = entries.at(-1);
          if (last !== undefined) progress.resolve(last.raw.offset);
        },
        async quarantine(entry, error) {
          const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
          logger.warn(`dead-lettering ${topic.name}[${progress.partition}]@${entry.raw.offset}: ${reason}`);
          await inTransaction([entry], progress.partition, async (tx) => {
            await tx.sendBatch({
              acks: -1,
              topicMessages: byTopic([dlqRecord(entry.raw, 'unprocessable', reason)]),
            });
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

interface OpenOutput extends TransactionalOutput {
  /** Waits for every queued send; rejects with the first failure. Returns records per topic. */
  flushed(): Promise<Map<string, number>>;
  /** Waits for every queued send, ignoring failures (before an abort). */
  settled(): Promise<void>;
}

/**
 * Validates synchronously (an invalid output throws SchemaValidationError inside `process`) and
 * writes into the transaction right away, one request at a time, so outputs are on the broker
 * (invisible until commit) by the time `process` returns.
 */
function createOutput(tx: Transaction): OpenOutput {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const counts = new Map<string, number>();
  return {
    send(topic, messages) {
      const encoded: Message[] = messages.map((m) => {
        const result = topic.validator.validate(m.value);
        if (!result.ok) throw new SchemaValidationError(topic.validator.name, result.errors);
        return {
          key: m.key ?? topic.keyOf(m.value),
          value: encodeValue(m.value),
          headers: withTraceHeaders(m.headers),
          timestamp: String(m.timestamp ?? Date.now()),
        };
      });
      if (encoded.length === 0) return;
      counts.set(topic.name, (counts.get(topic.name) ?? 0) + encoded.length);
      chain = chain.then(async () => {
        if (failure !== undefined) return;
        await tx.send({ topic: topic.name, acks: -1, messages: encoded }).catch((e: unknown) => {
          failure = e;
        });
      });
    },
    async flushed() {
      await chain;
      if (failure !== undefined) throw failure;
      return counts;
    },
    settled: () => chain,
  };
}

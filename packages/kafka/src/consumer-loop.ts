import type { TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { type KafkaClient, kafkajsOf } from './client.ts';
import { decodeEntry, type Entry } from './entries.ts';
import { fromClientError, KafkaConnectionError, messageOf } from './errors.ts';
import { type IsolationSteps, processIsolating } from './isolate.ts';
import type { Logger } from './logger.ts';
import { abortableDelay, RetryAborted } from './retry.ts';
import type { BatchContext, RetryPolicy, RunningConsumer } from './types.ts';

/** The parts of one kafkajs batch a runner needs to make progress durable. */
export interface PartitionProgress {
  readonly partition: number;
  readonly context: BatchContext;
  /** Moves the consumer's in-memory position past `offset` (so it is not fetched again). */
  resolve(offset: string): void;
  /** Commits the group offset `next` (last processed + 1) for this partition. */
  commit(next: string): Promise<void>;
}

export interface ConsumerLoopSettings<T> {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  readonly topic: TopicDef<T>;
  readonly fromBeginning: boolean;
  readonly partitionsConsumedConcurrently: number;
  readonly maxBatchSize: number;
  readonly readUncommitted: boolean;
  readonly sessionTimeoutMs: number;
  readonly fetchMaxWaitMs: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
  /** The runner's processing for a run of records of one partition. */
  readonly stepsFor: (progress: PartitionProgress) => IsolationSteps<Entry<T>>;
  /** Releases the runner's own resources (producers) after the consumer left the group. */
  readonly release: () => Promise<void>;
}

/**
 * The consumer machinery shared by runConsumer and runTransactionalProcessor: kafkajs eachBatch
 * with auto-resolve and auto-commit off, decoding, chunking into maxBatchSize runs, poison
 * isolation, lag metrics, graceful stop and crash reporting.
 */
export async function startConsumerLoop<T>(settings: ConsumerLoopSettings<T>): Promise<RunningConsumer> {
  if (settings.kafka.implementation === 'platformatic') {
    const { startPlatformaticConsumerLoop } = await import('./platformatic/consumer-loop.ts');
    return startPlatformaticConsumerLoop(settings);
  }
  const { topic, logger, metrics } = settings;
  const consumer: Consumer = kafkajsOf(settings.kafka).consumer({
    groupId: settings.groupId,
    readUncommitted: settings.readUncommitted,
    allowAutoTopicCreation: false,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 10)),
    maxWaitTimeInMs: settings.fetchMaxWaitMs,
  });
  const stopping = new AbortController();
  let settle: { resolve(): void; reject(e: unknown): void } = {
    resolve: () => undefined,
    reject: () => undefined,
  };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined); // a crash is also logged; callers that await `done` still see it
  let joined = false;
  let crash: unknown;

  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    crash = payload.error;
    logger.error(`consumer ${settings.groupId} on ${topic.name} crashed`, {
      error: messageOf(payload.error),
      restart: payload.restart,
    });
    if (!payload.restart) void finish(payload.error);
  });

  let finishing: Promise<void> | undefined;
  function finish(error?: unknown): Promise<void> {
    finishing ??= (async () => {
      stopping.abort();
      await consumer
        .disconnect()
        .catch((e: unknown) => logger.warn('consumer disconnect failed', { error: messageOf(e) }));
      await settings
        .release()
        .catch((e: unknown) => logger.warn('releasing resources failed', { error: messageOf(e) }));
      if (error === undefined) settle.resolve();
      else settle.reject(error);
    })();
    return finishing;
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const context: BatchContext = { signal: stopping.signal, heartbeat: () => payload.heartbeat() };
    const progress: PartitionProgress = {
      partition: batch.partition,
      context,
      resolve: (offset) => payload.resolveOffset(offset),
      async commit(next) {
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic: topic.name, partitions: [{ partition: batch.partition, offset: next }] }],
        });
      },
    };
    const steps = settings.stepsFor(progress);
    const entries = batch.messages.map((m) => decodeEntry(topic, batch.partition, m));
    metrics?.eventsIn.inc({ topic: topic.name }, entries.length);
    const invalid = entries.filter((e) => e.kind === 'invalid').length;
    if (invalid > 0) metrics?.eventsFailed.inc({ topic: topic.name, reason: 'invalid' }, invalid);

    for (let i = 0; i < entries.length; i += settings.maxBatchSize) {
      if (stopping.signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const run = entries.slice(i, i + settings.maxBatchSize);
      try {
        await processIsolating(run, steps, settings.retry, {
          signal: stopping.signal,
          wait: (ms, signal) => heartbeatingDelay(ms, signal, context),
          onRetry: (error, retry, delayMs) =>
            logger.warn(`retrying ${topic.name}[${batch.partition}] in ${delayMs} ms (retry ${retry})`, {
              error: messageOf(error),
            }),
        });
      } catch (error) {
        if (error instanceof RetryAborted) return; // stopping: the rest stays uncommitted for the next owner
        throw error;
      }
      const last = run.at(-1);
      if (last !== undefined) {
        const lag = Number(BigInt(batch.highWatermark) - BigInt(last.raw.offset) - 1n);
        metrics?.consumerLag.set({ topic: topic.name, partition: String(batch.partition) }, Math.max(0, lag));
      }
      await context.heartbeat();
    }
  }

  try {
    await consumer.connect();
    await consumer.subscribe({ topic: topic.name, fromBeginning: settings.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      eachBatch,
    });
  } catch (error) {
    await finish();
    throw fromClientError(`consumer ${settings.groupId} could not start on ${topic.name}`, error);
  }
  if (!joined) {
    await finish();
    throw new KafkaConnectionError(
      `consumer ${settings.groupId} could not join its group: ${messageOf(crash)}`,
      crash,
    );
  }
  return { stop: () => finish(), done };
}

/** Waits between retries while keeping the group membership alive; ends early when stopping. */
async function heartbeatingDelay(
  ms: number,
  signal: AbortSignal | undefined,
  context: BatchContext,
): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0 && !signal?.aborted; left = until - Date.now()) {
    await abortableDelay(Math.min(left, 1000), signal);
    await context.heartbeat().catch(() => undefined);
  }
}

import type { TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import { driverOf, type KafkaClient } from './client.ts';
import type { DriverConsumer, FetchedBatch, PartitionProgress } from './driver.ts';
import { decodeEntry, type Entry } from './entries.ts';
import { messageOf } from './errors.ts';
import { classifyFailure } from './failure-class.ts';
import { type IsolationSteps, type OutageWaiting, processIsolating } from './isolate.ts';
import { createRunnerLifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { restartMember } from './member-restart.ts';
import { createOutageTracker, GROUP_MEMBER, type OutageTracker } from './outage.ts';
import { abortableDelay, RetryAborted } from './retry.ts';
import type { BatchContext, RetryPolicy, RunningConsumer, TransientRetryPolicy } from './types.ts';

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
  readonly fetchMinBytes: number;
  readonly fetchMaxBytesPerPartition?: number;
  readonly retry: RetryPolicy;
  readonly transientRetry: TransientRetryPolicy;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
  /** The runner's processing for a run of records of one partition. */
  readonly stepsFor: (progress: PartitionProgress) => IsolationSteps<Entry<T>>;
  /** Releases the runner's own resources (producers) after the consumer left the group. */
  readonly release: () => Promise<void>;
  /** Runs once stopping began, before the consumer leaves its group (pending offset commits). */
  readonly beforeClose?: () => Promise<void>;
}

/**
 * The consumer machinery shared by runConsumer and runTransactionalProcessor, above the driver's
 * group member: decoding, chunking each fetched batch into maxBatchSize runs, waiting out
 * outages, poison isolation, metrics, graceful stop and crash handling: a member the client library
 * gave up on during an outage is replaced by a new one (member-restart.ts), any other crash finishes
 * the runner. Resolves once the group is joined.
 */
export async function startConsumerLoop<T>(settings: ConsumerLoopSettings<T>): Promise<RunningConsumer> {
  const { topic, logger, metrics, groupId } = settings;
  const driver = await driverOf(settings.kafka);
  let consumer: DriverConsumer | undefined;
  const lifecycle = createRunnerLifecycle({
    logger,
    close: async () => {
      await settings.beforeClose?.();
      await consumer?.close();
    },
    release: settings.release,
  });
  const { signal } = lifecycle;
  const outages = createOutageTracker(topic.name, metrics);

  async function processBatch(batch: FetchedBatch): Promise<void> {
    const { partition, progress } = batch;
    const steps = settings.stepsFor(progress);
    const entries = batch.records.map((r) => decodeEntry(topic, partition, r));
    metrics?.eventsIn.inc({ topic: topic.name }, entries.length);
    const invalid = entries.filter((e) => e.kind === 'invalid').length;
    if (invalid > 0) metrics?.eventsFailed.inc({ topic: topic.name, reason: 'invalid' }, invalid);

    for (let i = 0; i < entries.length; i += settings.maxBatchSize) {
      if (signal.aborted || !batch.isCurrent()) return;
      const run = entries.slice(i, i + settings.maxBatchSize);
      try {
        await processIsolating(run, steps, settings.retry, {
          signal,
          wait: (ms, s) => heartbeatingDelay(ms, s, progress.context),
          onRetry: (error, retry, delayMs) =>
            logger.warn(`retrying ${topic.name}[${partition}] in ${delayMs} ms (retry ${retry})`, {
              error: messageOf(error),
            }),
          outage: outageWaiting(batch, outages, settings, signal),
        });
      } catch (error) {
        if (error instanceof RetryAborted) return; // stopping: the rest stays uncommitted for the next owner
        throw error;
      }
      const last = run.at(-1);
      if (last !== undefined && batch.highWatermark !== undefined) {
        const lag = Number(BigInt(batch.highWatermark) - BigInt(last.raw.offset) - 1n);
        metrics?.consumerLag.set({ topic: topic.name, partition: String(partition) }, Math.max(0, lag));
      }
      await progress.context.heartbeat();
    }
  }

  let started = false;
  let restarting: Promise<void> | undefined;
  const member = `consumer ${groupId} on ${topic.name}`;

  function crashed(error: unknown, libraryRestarts: boolean): void {
    logger.error(`${member} crashed`, { error: messageOf(error), restart: libraryRestarts });
    if (libraryRestarts || restarting !== undefined) return; // a restart under way sees its own failure
    const failure = classifyFailure(error);
    if (!started || signal.aborted || failure.kind !== 'transient') {
      void lifecycle.finish(error);
      return;
    }
    restarting = restartMember(failure, {
      member,
      policy: settings.transientRetry,
      logger,
      signal,
      closeCrashed: async () => consumer?.close(),
      async startNew() {
        consumer = createMember();
        await consumer.start();
      },
      waiting: (f) => outages.failed(GROUP_MEMBER, f),
      rejoined: () => outages.cleared(GROUP_MEMBER),
      gaveUp: (e) => void lifecycle.finish(e),
    }).finally(() => {
      restarting = undefined;
    });
  }

  function createMember(): DriverConsumer {
    return driver.createConsumer({
      groupId,
      topic: topic.name,
      fromBeginning: settings.fromBeginning,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      readUncommitted: settings.readUncommitted,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      heartbeatIntervalMs: Math.max(100, Math.floor(settings.sessionTimeoutMs / 10)),
      fetchMaxWaitMs: settings.fetchMaxWaitMs,
      fetchMinBytes: settings.fetchMinBytes,
      fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition,
      logger,
      signal,
      processBatch,
      crashed,
    });
  }

  consumer = createMember();
  try {
    await consumer.start();
  } catch (error) {
    await lifecycle.finish();
    throw error;
  }
  started = true;
  return { stop: () => lifecycle.finish(), done: lifecycle.done, outage: () => outages.current() };
}

/**
 * How a run of `batch` waits while a dependency is down: heartbeating, and giving the partition up
 * (the run stays uncommitted, so nothing is lost) when the runner stops, the batch went stale, or a
 * heartbeat fails (a rebalance, or Kafka itself is down): an endless wait must not hold a partition
 * the group wants to move.
 */
function outageWaiting<T>(
  batch: FetchedBatch,
  outages: OutageTracker,
  settings: ConsumerLoopSettings<T>,
  signal: AbortSignal,
): OutageWaiting {
  const { partition, progress } = batch;
  const where = `${settings.topic.name}[${partition}]`;
  return {
    policy: settings.transientRetry,
    failed(failure, attempt, delayMs) {
      outages.failed(partition, failure);
      settings.logger.warn(
        `${where} waits on infrastructure (${failure.reason}): attempt ${attempt} failed, next in ${delayMs} ms`,
        { error: failure.message },
      );
    },
    cleared: () => outages.cleared(partition),
    async wait(ms) {
      const until = Date.now() + ms;
      for (let left = ms; left > 0; left = until - Date.now()) {
        if (signal.aborted || !batch.isCurrent()) return false;
        await abortableDelay(Math.min(left, 1000), signal);
        if (signal.aborted) return false;
        try {
          await progress.context.heartbeat();
        } catch {
          return false;
        }
      }
      return !signal.aborted && batch.isCurrent();
    },
  };
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

import type { TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import { connectThrough, type KafkaClient } from './client.ts';
import { startConsumerLoop } from './consumer-loop.ts';
import { dlqKindOf, dlqRecord } from './dlq.ts';
import { type Entry, nextOffset } from './entries.ts';
import { fromClientError } from './errors.ts';
import { callHandler, quarantineReason } from './handler-call.ts';
import type { IsolationSteps } from './isolate.ts';
import type { Logger } from './logger.ts';
import { commitEachRun, commitPeriodically } from './periodic-commit.ts';
import { byTopic } from './records.ts';
import {
  defaultRetryPolicy,
  defaultTransientRetryPolicy,
  validateRetryPolicy,
  validateTransientRetryPolicy,
} from './retry.ts';
import { SettingsCheck } from './settings.ts';
import { withMessageContext } from './trace.ts';
import type {
  BatchContext,
  IncomingMessage,
  RetryPolicy,
  RunningConsumer,
  TransientRetryPolicy,
} from './types.ts';

/** Options every runner shares. */
export interface ConsumerRunnerSettings<T> {
  readonly groupId: string;
  readonly topic: TopicDef<T>;
  /** Retries of a failing batch before poison records are isolated and dead-lettered (default 5, 200 ms..10 s). */
  readonly retry?: RetryPolicy;
  /**
   * Pauses between attempts while a dependency is down (a failure classified transient, see
   * classifyFailure): retried for as long as it takes, never dead-lettered (default 200 ms..5 s).
   */
  readonly transientRetry?: TransientRetryPolicy;
  /** Where a new group starts: the earliest offset (true) or only new records (default false). */
  readonly fromBeginning?: boolean;
  /** Most records per handler call (default 100). */
  readonly maxBatchSize?: number;
  /** The group is rebalanced when a member is silent this long (default 30000 ms). */
  readonly sessionTimeoutMs?: number;
  /** Longest a fetch waits for new records (default 500 ms); stop() waits for the fetch in flight. */
  readonly fetchMaxWaitMs?: number;
  /**
   * A fetch answers once this many bytes are there, or at fetchMaxWaitMs (default 1: at once).
   * Larger batches for consumers whose sink pays per batch and whose output nobody waits on.
   */
  readonly fetchMinBytes?: number;
  /**
   * Most bytes one fetch returns per partition (default: the library's, 1 MiB). Larger under
   * backlog means larger runs, so per-run costs (a sink's commit) are paid less often.
   */
  readonly fetchMaxBytesPerPartition?: number;
  readonly metrics?: PipelineMetrics;
  readonly logger?: Logger;
}

export type ConsumerSettings<T> = ConsumerRunnerSettings<T> & {
  /** Partitions handled in parallel by this member (default 1). */
  readonly partitionsConsumedConcurrently?: number;
  /** `read_committed` (default) hides records of aborted and open transactions. */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  /**
   * 0 (default): each run's offsets are committed before the next run. Above 0: the newest offsets
   * are committed at most this often (and when stopping), for idempotent sinks only: a crash
   * replays up to one interval's records, and most OffsetCommit requests are saved.
   */
  readonly commitIntervalMs?: number;
} & (
    | {
        /** Handles valid records in offset order; throw to have the batch retried. Must be idempotent. */
        readonly handleBatch: (messages: IncomingMessage<T>[], ctx: BatchContext) => Promise<void>;
        readonly handleMessage?: undefined;
      }
    | {
        /** Per-record alternative to handleBatch; runs inside the record's trace context. */
        readonly handleMessage: (message: IncomingMessage<T>, ctx: BatchContext) => Promise<void>;
        readonly handleBatch?: undefined;
      }
  );

/**
 * Consumes `topic` at least once: valid records go to the handler in offset order, invalid ones
 * to `<topic>.dlq`; offsets are committed only after the handler succeeded; a record the handler
 * keeps failing on goes to the DLQ as `unprocessable` while the others proceed. Resolves once the
 * consumer joined its group.
 */
export async function runConsumer<T>(
  kafka: KafkaClient,
  settings: ConsumerSettings<T>,
): Promise<RunningConsumer> {
  const resolved = resolveRunnerSettings(kafka, settings);
  const partitionsConsumedConcurrently = settings.partitionsConsumedConcurrently ?? 1;
  const isolation = settings.isolation ?? 'read_committed';
  const commitIntervalMs = settings.commitIntervalMs ?? 0;
  const check = new SettingsCheck();
  check.integer('commitIntervalMs', commitIntervalMs, 0, 60_000);
  check.integer('partitionsConsumedConcurrently', partitionsConsumedConcurrently, 1, 1000);
  check.that(
    isolation === 'read_committed' || isolation === 'read_uncommitted',
    `isolation must be read_committed or read_uncommitted, got ${JSON.stringify(isolation)}`,
  );
  const { handleBatch, handleMessage } = settings;
  check.that(
    (typeof handleBatch === 'function') !== (typeof handleMessage === 'function'),
    'exactly one of handleBatch and handleMessage must be a function',
  );
  check.done('consumer');
  const handle =
    handleBatch ??
    (async (messages: IncomingMessage<T>[], ctx: BatchContext) => {
      for (const m of messages) await withMessageContext(m, () => handleMessage?.(m, ctx));
    });

  const { topic, metrics, logger } = resolved;
  const dlqProducer = await connectThrough(kafka, 'DLQ producer', (driver) => driver.connectProducer());

  // partitions consumed concurrently share this idempotent producer: one request at a time (see producer.ts)
  let dlqQueue: Promise<unknown> = Promise.resolve();
  function deadLetter(records: ReturnType<typeof dlqRecord>[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const sent = dlqQueue.then(async () => {
      try {
        await dlqProducer.sendBatch(byTopic(records));
      } catch (error) {
        throw fromClientError(`writing to ${records[0]?.topic}`, error);
      }
    });
    dlqQueue = sent.catch(() => undefined);
    return sent;
  }

  const stopping = new AbortController();
  const committer =
    commitIntervalMs === 0 ? commitEachRun : commitPeriodically(commitIntervalMs, stopping.signal, logger);

  try {
    return await startConsumerLoop({
      ...resolved,
      readUncommitted: isolation === 'read_uncommitted',
      partitionsConsumedConcurrently,
      release: () => dlqProducer.disconnect(),
      beforeClose: () => {
        stopping.abort();
        return committer.flush();
      },
      stepsFor: (progress): IsolationSteps<Entry<T>> => ({
        async attempt(entries) {
          await callHandler(topic.name, progress.partition, entries, metrics, (valid) =>
            handle(valid, progress.context),
          );
          const invalid = entries.flatMap((e) =>
            e.kind === 'invalid' ? [dlqRecord(e.raw, 'invalid', e.reason)] : [],
          );
          await deadLetter(invalid);
          const last = entries.at(-1);
          if (last !== undefined) progress.resolve(last.raw.offset);
          await committer.commit(progress, nextOffset(entries));
        },
        async quarantine(entry, error, failure) {
          await deadLetter([
            dlqRecord(entry.raw, dlqKindOf(failure), quarantineReason(entry.raw, error, logger)),
          ]);
          metrics?.eventsFailed.inc({ topic: topic.name, reason: 'dlq' });
          progress.resolve(entry.raw.offset);
          await committer.commit(progress, nextOffset([entry]));
        },
      }),
    });
  } catch (error) {
    await dlqProducer.disconnect().catch(() => undefined);
    throw error;
  }
}

/** Defaults and checks of the settings every runner shares. */
export function resolveRunnerSettings<T>(kafka: KafkaClient, settings: ConsumerRunnerSettings<T>) {
  const check = new SettingsCheck();
  check.nonEmpty('groupId', settings.groupId);
  check.that(
    typeof settings.topic?.name === 'string' && typeof settings.topic.validator?.validate === 'function',
    'topic must be a TopicDef from @streamkit/schemas (defineTopic)',
  );
  const maxBatchSize = settings.maxBatchSize ?? 100;
  const sessionTimeoutMs = settings.sessionTimeoutMs ?? 30_000;
  check.integer('maxBatchSize', maxBatchSize, 1, 100_000);
  check.integer('sessionTimeoutMs', sessionTimeoutMs, 6000, 300_000);
  const fetchMaxWaitMs = settings.fetchMaxWaitMs ?? 500;
  check.integer('fetchMaxWaitMs', fetchMaxWaitMs, 10, 30_000);
  const fetchMinBytes = settings.fetchMinBytes ?? 1;
  check.integer('fetchMinBytes', fetchMinBytes, 1, 64 * 1024 * 1024);
  const fetchMaxBytesPerPartition = settings.fetchMaxBytesPerPartition;
  if (fetchMaxBytesPerPartition !== undefined)
    check.integer('fetchMaxBytesPerPartition', fetchMaxBytesPerPartition, 1024, 256 << 20);
  check.done('consumer');
  return {
    kafka,
    groupId: settings.groupId,
    topic: settings.topic,
    fromBeginning: settings.fromBeginning ?? false,
    maxBatchSize,
    sessionTimeoutMs,
    fetchMaxWaitMs,
    fetchMinBytes,
    fetchMaxBytesPerPartition,
    retry: validateRetryPolicy(settings.retry ?? defaultRetryPolicy),
    transientRetry: validateTransientRetryPolicy(settings.transientRetry ?? defaultTransientRetryPolicy),
    logger: settings.logger ?? kafka.logger,
    metrics: settings.metrics,
  };
}

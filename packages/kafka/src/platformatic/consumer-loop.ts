import { Consumer, FetchIsolationLevels, type Message, type MessagesStream } from '@platformatic/kafka';
import type { ConsumerLoopSettings, PartitionProgress } from '../consumer-loop.ts';
import { type ConsumedRecord, decodeEntry, type Entry } from '../entries.ts';
import { fromClientError, KafkaConnectionError, messageOf } from '../errors.ts';
import { type IsolationSteps, processIsolating } from '../isolate.ts';
import { abortableDelay, RetryAborted } from '../retry.ts';
import type { BatchContext, RunningConsumer } from '../types.ts';
import { baseOptions } from './options.ts';

/** A partition's progress, plus what a platformatic transaction needs to add the offsets. */
export interface PlatformaticProgress extends PartitionProgress {
  readonly consumer: Consumer;
  /** The library's record at `offset` (it carries the group generation for TxnOffsetCommit). */
  nativeAt(offset: string): Message | undefined;
}

export type PlatformaticLoopSettings<T> = Omit<ConsumerLoopSettings<T>, 'stepsFor'> & {
  readonly stepsFor: (progress: PlatformaticProgress) => IsolationSteps<Entry<T>>;
};

/** Most records taken from the stream per round (split by partition, then into maxBatchSize runs). */
const ROUND_LIMIT = 5000;

/**
 * startConsumerLoop on @platformatic/kafka: a group member whose message stream is read in rounds
 * of what is buffered, grouped by partition (partitions side by side up to
 * partitionsConsumedConcurrently), cut into maxBatchSize runs, processed with poison isolation and
 * committed after processing. Heartbeats run in the library's background, so a long handler does
 * not need ctx.heartbeat(). A failed commit or DLQ write reopens the stream, which restarts at the
 * committed offsets (kafkajs restarts its fetch the same way).
 */
export async function startPlatformaticConsumerLoop<T>(
  settings: PlatformaticLoopSettings<T>,
): Promise<RunningConsumer> {
  const { topic, logger, metrics } = settings;
  const isolationLevel = settings.readUncommitted
    ? FetchIsolationLevels.READ_UNCOMMITTED
    : FetchIsolationLevels.READ_COMMITTED;
  const group = {
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 10)),
  };
  const consumer = new Consumer({
    ...baseOptions(settings.kafka, 'consumer'),
    groupId: settings.groupId,
    ...group,
    maxWaitTime: settings.fetchMaxWaitMs,
    isolationLevel,
    autocommit: false,
  });
  const stopping = new AbortController();
  const context: BatchContext = { signal: stopping.signal, heartbeat: async () => undefined };
  let settle: { resolve(): void; reject(e: unknown): void } = {
    resolve: () => undefined,
    reject: () => undefined,
  };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined);

  async function open(): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> {
    const stream = await consumer.consume({
      topics: [topic.name],
      mode: 'committed',
      fallbackMode: settings.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
      isolationLevel,
      maxWaitTime: settings.fetchMaxWaitMs,
      // records buffered ahead of the handler (the library's default is 1024): a round's worth
      highWaterMark: ROUND_LIMIT,
      ...group,
    });
    stream.on('readable', () => undefined); // paused mode: records are pulled with read()
    return stream;
  }

  async function processPartition(partition: number, records: readonly Message[]): Promise<void> {
    const native = new Map(records.map((m) => [m.offset.toString(), m]));
    const progress: PlatformaticProgress = {
      partition,
      context,
      consumer,
      nativeAt: (offset) => native.get(offset),
      resolve: () => undefined, // the stream's position already moved past fetched records
      async commit(next) {
        const last = native.get((BigInt(next) - 1n).toString());
        if (last === undefined) throw new RangeError(`no record before offset ${next} in this round`);
        await last.commit();
      },
    };
    const steps = settings.stepsFor(progress);
    const entries = records.map((m) => decodeEntry(topic, partition, consumedRecord(m)));
    metrics?.eventsIn.inc({ topic: topic.name }, entries.length);
    const invalid = entries.filter((e) => e.kind === 'invalid').length;
    if (invalid > 0) metrics?.eventsFailed.inc({ topic: topic.name, reason: 'invalid' }, invalid);
    for (let i = 0; i < entries.length; i += settings.maxBatchSize) {
      if (stopping.signal.aborted) return;
      try {
        await processIsolating(entries.slice(i, i + settings.maxBatchSize), steps, settings.retry, {
          signal: stopping.signal,
          wait: abortableDelay,
          onRetry: (error, retry, delayMs) =>
            logger.warn(`retrying ${topic.name}[${partition}] in ${delayMs} ms (retry ${retry})`, {
              error: messageOf(error),
            }),
        });
      } catch (error) {
        if (error instanceof RetryAborted) return;
        throw error;
      }
    }
  }

  async function processRound(records: readonly Message[]): Promise<void> {
    const byPartition = new Map<number, Message[]>();
    for (const m of records) {
      const list = byPartition.get(m.partition);
      if (list) list.push(m);
      else byPartition.set(m.partition, [m]);
    }
    const queue = [...byPartition];
    const workers = Array.from(
      { length: Math.min(settings.partitionsConsumedConcurrently, queue.length) },
      async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          await processPartition(next[0], next[1]);
        }
      },
    );
    const results = await Promise.allSettled(workers);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  try {
    stream = await open();
  } catch (error) {
    await consumer.close(true).catch(() => undefined);
    await settings.release().catch(() => undefined);
    const wrapped = fromClientError(`consumer ${settings.groupId} could not start on ${topic.name}`, error);
    throw wrapped.retriable ? wrapped : new KafkaConnectionError(wrapped.message, error);
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      const records = readAvailable(stream);
      if (records.length === 0) {
        await readable(stream, stopping.signal);
        if (stream.destroyed && !stopping.signal.aborted) throw stream.errored ?? new Error('stream closed');
        continue;
      }
      try {
        await processRound(records);
      } catch (error) {
        if (stopping.signal.aborted) return;
        // commit or DLQ failed: restart from the committed offsets with a fresh stream
        logger.warn(`consumer ${settings.groupId} on ${topic.name} restarts from committed offsets`, {
          error: messageOf(error),
        });
        await stream.close().catch(() => undefined);
        await abortableDelay(500, stopping.signal).catch(() => undefined);
        if (!stopping.signal.aborted) stream = await open();
      }
    }
  }

  let finishing: Promise<void> | undefined;
  function finish(error?: unknown): Promise<void> {
    finishing ??= (async () => {
      stopping.abort();
      await running.catch(() => undefined);
      await stream.close().catch(() => undefined);
      await consumer
        .close()
        .catch((e: unknown) => logger.warn('consumer close failed', { error: messageOf(e) }));
      await settings
        .release()
        .catch((e: unknown) => logger.warn('releasing resources failed', { error: messageOf(e) }));
      if (error === undefined) settle.resolve();
      else settle.reject(error);
    })();
    return finishing;
  }

  const running = loop().catch((error: unknown) => {
    logger.error(`consumer ${settings.groupId} on ${topic.name} crashed`, { error: messageOf(error) });
    void finish(error);
  });
  return { stop: () => finish(), done };
}

function readAvailable(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Message[] {
  const out: Message[] = [];
  while (out.length < ROUND_LIMIT) {
    const next = stream.read() as Message | null;
    if (next === null) break;
    out.push(next);
  }
  return out;
}

/** Resolves when the stream has records, ended, failed or the runner is stopping. */
function readable(
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
  signal: AbortSignal,
): Promise<void> {
  const emitter: NodeJS.EventEmitter = stream;
  return new Promise<void>((resolve) => {
    const events = ['readable', 'close', 'error', 'end'] as const;
    const onEvent = () => {
      for (const e of events) emitter.off(e, onEvent);
      signal.removeEventListener('abort', onEvent);
      resolve();
    };
    for (const e of events) emitter.on(e, onEvent);
    signal.addEventListener('abort', onEvent);
    if (stream.readableLength > 0 || stream.destroyed) onEvent();
  });
}

function consumedRecord(m: Message): ConsumedRecord {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of m.headers) headers[name.toString('utf8')] = value;
  return {
    offset: m.offset.toString(),
    key: m.key === undefined || m.key === null ? null : m.key,
    value: m.value === undefined || m.value === null ? null : m.value,
    headers,
    timestamp: m.timestamp.toString(),
  };
}

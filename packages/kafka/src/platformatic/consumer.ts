import { Consumer, FetchIsolationLevels, type Message, type MessagesStream } from '@platformatic/kafka';
import type { ConsumerDriverSettings, DriverConfig, DriverConsumer, PartitionProgress } from '../driver.ts';
import { fromClientError, KafkaConnectionError, messageOf } from '../errors.ts';
import type { ConsumedRecord } from '../records.ts';
import { abortableDelay } from '../retry.ts';
import type { BatchContext } from '../types.ts';
import { baseOptions } from './options.ts';

/** A partition's progress, plus what a platformatic transaction needs to add the offsets. */
export interface PlatformaticProgress extends PartitionProgress {
  readonly consumer: Consumer;
  /** The library's record at `offset` (it carries the group generation for TxnOffsetCommit). */
  nativeAt(offset: string): Message | undefined;
}

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** Most records taken from the stream per round (split by partition, then into maxBatchSize runs). */
const ROUND_LIMIT = 5000;

/**
 * A @platformatic/kafka group member whose message stream is read in rounds of what is buffered,
 * grouped by partition (partitions side by side up to partitionsConsumedConcurrently), each
 * partition's records handed to the runner as one batch. Heartbeats run in the library's
 * background, so a long handler does not need ctx.heartbeat(). A failed commit or DLQ write
 * reopens the stream, which restarts at the committed offsets (kafkajs restarts its fetch the same
 * way).
 */
export function createPlatformaticConsumer(
  config: DriverConfig,
  settings: ConsumerDriverSettings,
): DriverConsumer {
  const { topic, logger, signal } = settings;
  const isolationLevel = settings.readUncommitted
    ? FetchIsolationLevels.READ_UNCOMMITTED
    : FetchIsolationLevels.READ_COMMITTED;
  const group = {
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
  };
  const consumer = new Consumer({
    ...baseOptions(config, 'consumer'),
    groupId: settings.groupId,
    ...group,
    maxWaitTime: settings.fetchMaxWaitMs,
    minBytes: settings.fetchMinBytes,
    isolationLevel,
    autocommit: false,
  });
  const context: BatchContext = { signal, heartbeat: async () => undefined };
  let stream: Stream | undefined;
  let running: Promise<void> | undefined;

  async function open(): Promise<Stream> {
    const opened = await consumer.consume({
      topics: [topic],
      mode: 'committed',
      fallbackMode: settings.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
      isolationLevel,
      maxWaitTime: settings.fetchMaxWaitMs,
      minBytes: settings.fetchMinBytes,
      ...(settings.fetchMaxBytesPerPartition === undefined
        ? {}
        : { maxBytesPerPartition: settings.fetchMaxBytesPerPartition }),
      // records buffered ahead of the handler (the library's default is 1024): a round's worth
      highWaterMark: ROUND_LIMIT,
      ...group,
    });
    opened.on('readable', () => undefined); // paused mode: records are pulled with read()
    return opened;
  }

  function processPartition(partition: number, records: readonly Message[]): Promise<void> {
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
    return settings.processBatch({
      partition,
      records: records.map(consumedRecord),
      progress,
      isCurrent: () => true, // a round's records stay this member's until the stream is reopened
    });
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

  async function loop(current: Stream): Promise<void> {
    while (!signal.aborted) {
      const records = readAvailable(current);
      if (records.length === 0) {
        await readable(current, signal);
        if (current.destroyed && !signal.aborted) throw current.errored ?? new Error('stream closed');
        continue;
      }
      try {
        await processRound(records);
      } catch (error) {
        if (signal.aborted) return;
        // commit or DLQ failed: restart from the committed offsets with a fresh stream
        logger.warn(`consumer ${settings.groupId} on ${topic} restarts from committed offsets`, {
          error: messageOf(error),
        });
        await current.close().catch(() => undefined);
        await abortableDelay(500, signal).catch(() => undefined);
        if (!signal.aborted) stream = current = await open();
      }
    }
  }

  return {
    async start() {
      try {
        stream = await open();
      } catch (error) {
        const wrapped = fromClientError(`consumer ${settings.groupId} could not start on ${topic}`, error);
        throw wrapped.retriable ? wrapped : new KafkaConnectionError(wrapped.message, error);
      }
      running = loop(stream).catch((error: unknown) => settings.crashed(error, false));
    },
    async close() {
      await running;
      if (stream === undefined) {
        await consumer.close(true); // never started: nothing to leave
        return;
      }
      await stream.close().catch(() => undefined);
      await consumer.close();
    },
  };
}

function readAvailable(stream: Stream): Message[] {
  const out: Message[] = [];
  while (out.length < ROUND_LIMIT) {
    const next = stream.read() as Message | null;
    if (next === null) break;
    out.push(next);
  }
  return out;
}

/** Resolves when the stream has records, ended, failed or the runner is stopping. */
function readable(stream: Stream, signal: AbortSignal): Promise<void> {
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

export function consumedRecord(m: Message): ConsumedRecord {
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

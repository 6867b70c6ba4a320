import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumerDriverSettings, DriverConsumer, PartitionProgress } from '../driver.ts';
import { fromClientError, KafkaConnectionError, messageOf } from '../errors.ts';
import type { BatchContext } from '../types.ts';

/**
 * A kafkajs group member: eachBatch with auto-resolve and auto-commit off; the runner resolves and
 * commits each run it processed. A failed commit or DLQ write rejects eachBatch, and kafkajs
 * restarts the fetch from the last committed offset.
 */
export function createKafkajsConsumer(kafka: Kafka, settings: ConsumerDriverSettings): DriverConsumer {
  const { topic, groupId } = settings;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: settings.readUncommitted,
    allowAutoTopicCreation: false,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    maxWaitTimeInMs: settings.fetchMaxWaitMs,
    minBytes: settings.fetchMinBytes,
    ...fetchBytes(settings.fetchMaxBytesPerPartition),
  });
  let joined = false;
  let crash: unknown;
  // settles the first join: kafkajs restarts a join that failed on a retriable error (a broker
  // just restarted: "not the correct coordinator" while it loads the group) and joins later
  const firstJoin = Promise.withResolvers<void>();
  firstJoin.promise.catch(() => undefined);
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    firstJoin.resolve();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    crash = payload.error;
    if (!payload.restart) firstJoin.reject(payload.error);
    // ours, so the runner sees an outage ("Failed to find group coordinator") as retriable
    settings.crashed(fromClientError(`consumer ${groupId} crashed`, payload.error), payload.restart);
  });

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const context: BatchContext = {
      signal: settings.signal,
      heartbeat: () => payload.heartbeat(),
      highWatermark: batch.highWatermark,
    };
    const progress: PartitionProgress = {
      partition: batch.partition,
      context,
      resolve: (offset) => payload.resolveOffset(offset),
      async commit(next) {
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic, partitions: [{ partition: batch.partition, offset: next }] }],
        });
      },
    };
    await settings.processBatch({
      partition: batch.partition,
      records: batch.messages,
      highWatermark: batch.highWatermark,
      progress,
      isCurrent: () => payload.isRunning() && !payload.isStale(),
    });
  }

  return {
    async start() {
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: settings.fromBeginning });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
          eachBatch,
        });
      } catch (error) {
        throw fromClientError(`consumer ${groupId} could not start on ${topic}`, error);
      }
      if (!joined && crash !== undefined) {
        // a restart is under way (a crash without one rejected firstJoin): wait for it, or a stop
        const stopped = new Promise<void>((resolve) =>
          settings.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        await Promise.race([firstJoin.promise, stopped]).catch(() => undefined);
      }
      if (!joined) {
        throw new KafkaConnectionError(
          `consumer ${groupId} could not join its group: ${messageOf(crash)}`,
          crash,
        );
      }
    },
    close: () => consumer.disconnect(),
  };
}

/** kafkajs caps a whole fetch at 10 MiB by default: let every partition of a member fill its share. */
function fetchBytes(perPartition: number | undefined): { maxBytesPerPartition?: number; maxBytes?: number } {
  if (perPartition === undefined) return {};
  return { maxBytesPerPartition: perPartition, maxBytes: Math.max(10 << 20, 16 * perPartition) };
}

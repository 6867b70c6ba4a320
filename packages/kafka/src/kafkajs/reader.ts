import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { StoredRecord } from '../driver.ts';
import { KafkaRequestError } from '../errors.ts';
import { abortableDelay } from '../retry.ts';

/**
 * Reads `topic` to the end offsets it had when called, under a throwaway group that commits
 * nothing. A partition is done once a batch reached its end: kafkajs reports batches that hold only
 * transaction markers or aborted records (END_BATCH_PROCESS) though it hands no record of them over.
 */
export async function readKafkajsTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs: number,
): Promise<StoredRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  let offsets: Awaited<ReturnType<typeof admin.fetchTopicOffsets>>;
  try {
    offsets = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  // a partition whose records all expired (low = high) has nothing to fetch, and no batch would say so
  const pending = new Set(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => p.partition));
  const records: StoredRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({
    groupId: `streamkit-reader-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100, // disconnect waits for the fetch in flight
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic && BigInt(payload.lastOffset) + 1n >= (ends.get(payload.partition) ?? 0n))
      pending.delete(payload.partition);
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (BigInt(message.offset) >= (ends.get(partition) ?? 0n)) return;
        records.push({ partition, ...message, key: message.key ?? null, value: message.value ?? null });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0) {
      if (Date.now() > deadline)
        throw new KafkaRequestError(`reading ${topic} to its end offsets took longer than ${timeoutMs} ms`, {
          retriable: true,
        });
      await abortableDelay(50, undefined);
    }
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

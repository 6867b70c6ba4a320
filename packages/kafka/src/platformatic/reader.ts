import { randomUUID } from 'node:crypto';
import { Consumer, FetchIsolationLevels, type Message, type MessagesStream } from '@platformatic/kafka';
import type { DriverConfig, StoredRecord } from '../driver.ts';
import { KafkaRequestError } from '../errors.ts';
import { consumedRecord } from './consumer.ts';
import { baseOptions } from './options.ts';

/**
 * Reads `topic` to the end offsets it had when called, under a throwaway group that commits
 * nothing. A partition is done once the stream's next fetch offset reached its end (the library
 * moves it past transaction markers and aborted records too, which it hands no record of).
 */
export async function readPlatformaticTopic(
  config: DriverConfig,
  topic: string,
  timeoutMs: number,
): Promise<StoredRecord[]> {
  const isolationLevel = FetchIsolationLevels.READ_COMMITTED;
  const consumer = new Consumer({
    ...baseOptions(config, 'reader'),
    groupId: `streamkit-reader-${randomUUID()}`,
    autocommit: false,
    isolationLevel,
    maxWaitTime: 100,
  });
  const records: StoredRecord[] = [];
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  try {
    const listed = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const ends = new Map(listed.map((end, partition) => [partition, end]));
    if ([...ends.values()].every((end) => end === 0n)) return records;
    stream = await consumer.consume({
      topics: [topic],
      mode: 'earliest',
      autocommit: false,
      isolationLevel,
      maxWaitTime: 100,
    });
    const current = stream;
    const done = () =>
      [...ends].every(([p, end]) => end === 0n || (current.offsetsToFetch.get(`${topic}:${p}`) ?? 0n) >= end);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let m = current.read() as Message | null; m !== null; m = current.read() as Message | null) {
        if (m.offset < (ends.get(m.partition) ?? 0n))
          records.push({ partition: m.partition, ...consumedRecord(m) });
      }
      if (done() && current.readableLength === 0) break;
      if (Date.now() > deadline)
        throw new KafkaRequestError(`reading ${topic} to its end offsets took longer than ${timeoutMs} ms`, {
          retriable: true,
        });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, 100);
        function finish() {
          clearTimeout(timer);
          current.off('readable', finish);
          current.off('fetch', finish);
          resolve();
        }
        current.on('readable', finish);
        current.on('fetch', finish);
      });
    }
  } finally {
    await stream?.close().catch(() => undefined);
    await consumer.close(true).catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

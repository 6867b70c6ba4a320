/**
 * Reads a whole topic as a read_committed consumer (only what transactions committed), from the
 * first offset to the end offsets of when it was called: for a plan's `verify`, once every
 * producer has stopped. An independent reader (plain kafkajs), not the pipeline's own code.
 */
import { Kafka, logLevel } from 'kafkajs';

export interface TopicReadRequest {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Called with every committed record's value. */
  readonly onValue: (value: Buffer) => void;
  readonly signal: AbortSignal;
}

/**
 * Resolves with the number of records read; rejects when `signal` aborts first. A broker that is
 * still electing leaders after a restart fails an attempt; the read starts over (values are
 * counted only from the attempt that reached the end).
 */
export async function readWholeTopic(request: TopicReadRequest): Promise<number> {
  for (;;) {
    const values: Buffer[] = [];
    try {
      const records = await readOnce({ ...request, onValue: (value) => values.push(value) });
      for (const value of values) request.onValue(value);
      return records;
    } catch (error) {
      if (request.signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function readOnce(request: TopicReadRequest): Promise<number> {
  const kafka = new Kafka({
    brokers: [...request.brokers],
    clientId: 'chaos-verifier',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `chaos-verifier-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 200 });
  let records = 0;
  try {
    const ends = await admin.fetchTopicOffsets(request.topic);
    const wanted = ends.filter((p) => Number(p.high) > 0);
    if (wanted.length === 0) return 0;
    await consumer.connect();
    await consumer.subscribe({ topic: request.topic, fromBeginning: true });
    await consumer.run({
      // offsets are committed after each batch, also past transaction markers: the end shows in them
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (message.value !== null) {
            request.onValue(message.value);
            records++;
          }
        }
      },
    });
    for (;;) {
      if (request.signal.aborted)
        throw new Error(`reading ${request.topic}: ${String(request.signal.reason)}`);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [request.topic] });
      const done = wanted.every((end) => {
        const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        return Number(at) >= Number(end.high);
      });
      if (done) return records;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

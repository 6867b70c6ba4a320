import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './unique-name.ts';
import { waitFor } from './wait-for.ts';

/** One record as stored, for assertions. Values and headers decoded as UTF-8. */
export interface StoredRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

export interface ReadTopicOptions {
  /** `committed` (default) hides records of open or aborted transactions, like a read_committed consumer. */
  readonly isolation?: 'committed' | 'uncommitted';
  readonly timeoutMs?: number;
}

/** Test-side Kafka helpers working directly on the broker (independent of @streamkit/kafka). */
export interface KafkaTestAdmin {
  /** Creates topics (N partitions each) and waits until every partition has a leader. */
  createTopics(topics: readonly string[], partitions?: number): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Every record of `topic` from the beginning up to its end offsets at the time of the call. */
  readTopic(topic: string, options?: ReadTopicOptions): Promise<StoredRecord[]>;
  /** The group's committed offset per partition of `topic` (-1 where it committed nothing). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Per partition: the high watermark (the offset the next record will get). */
  endOffsets(topic: string): Promise<Map<number, number>>;
  disconnect(): Promise<void>;
}

export async function createKafkaTestAdmin(brokers: readonly string[]): Promise<KafkaTestAdmin> {
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'streamkit-testkit', logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();

  async function endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  return {
    async createTopics(topics, partitions = 1) {
      await admin.createTopics({
        topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
        waitForLeaders: true,
      });
      await waitFor(
        async () => {
          const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
          return meta.every(
            (t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0),
          );
        },
        { timeoutMs: 30_000, intervalMs: 100, message: `leaders of ${topics.join(', ')}` },
      );
    },

    async deleteTopics(topics) {
      await admin.deleteTopics({ topics: [...topics] });
    },

    async readTopic(topic, options = {}) {
      const ends = await endOffsets(topic);
      const pending = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
      const records: StoredRecord[] = [];
      if (pending.size === 0) return records;
      const consumer = kafka.consumer({
        groupId: uniqueName('testkit-reader'),
        readUncommitted: options.isolation === 'uncommitted',
        allowAutoTopicCreation: false,
        // short long-polls: disconnect waits for the fetch in flight
        maxWaitTimeInMs: 100,
      });
      // END_BATCH_PROCESS also fires for batches holding only transaction markers or aborted records
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic === topic && Number(payload.lastOffset) + 1 >= (ends.get(payload.partition) ?? 0)) {
          pending.delete(payload.partition);
        }
      });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (Number(message.offset) >= (ends.get(partition) ?? 0)) return;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) {
              if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[v.length - 1]) : String(v);
            }
            records.push({
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers,
            });
          },
        });
        await waitFor(() => pending.size === 0, {
          timeoutMs: options.timeoutMs ?? 30_000,
          intervalMs: 50,
          message: `reading ${topic} to its end offsets`,
        });
      } finally {
        await consumer.disconnect();
      }
      return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
    },

    async committedOffsets(groupId, topic) {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    },

    endOffsets,

    async disconnect() {
      await admin.disconnect();
    },
  };
}

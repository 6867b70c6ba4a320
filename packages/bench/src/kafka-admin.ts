/** The bench's Kafka admin. Consumer lag per group at the end of a step: the sum over partitions of high watermark − committed offset. */
import kafkajs from 'kafkajs';

export interface BenchKafkaAdmin {
  /** Lag per group; null for a group with no committed offsets (never consumed, or unknown). */
  lagOf(groups: readonly string[]): Promise<Record<string, number | null>>;
  /** For the baseline's fresh topics. */
  createTopic(topic: string, partitions: number): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Removes a run's topics (its isolation prefix); returns how many. */
  deleteTopicsWithPrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

export async function createBenchKafkaAdmin(brokers: readonly string[]): Promise<BenchKafkaAdmin> {
  const kafka = new kafkajs.Kafka({
    brokers: [...brokers],
    clientId: 'streamkit-bench',
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    async lagOf(groups) {
      const result: Record<string, number | null> = {};
      for (const groupId of groups) {
        try {
          const committed = await admin.fetchOffsets({ groupId });
          if (committed.length === 0) {
            result[groupId] = null;
            continue;
          }
          let lag = 0;
          for (const topic of committed) {
            const ends = await admin.fetchTopicOffsets(topic.topic);
            for (const p of topic.partitions) {
              const end = ends.find((e) => e.partition === p.partition);
              if (end === undefined) continue;
              const at = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
              lag += Math.max(0, Number(end.high) - at);
            }
          }
          result[groupId] = lag;
        } catch {
          result[groupId] = null;
        }
      }
      return result;
    },
    async createTopic(topic, partitions) {
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    },
    async deleteTopics(topics) {
      const existing = new Set(await admin.listTopics());
      const gone = topics.filter((t) => existing.has(t));
      if (gone.length > 0) await admin.deleteTopics({ topics: gone });
    },
    async deleteTopicsWithPrefix(prefix) {
      const gone = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (gone.length > 0) await admin.deleteTopics({ topics: gone });
      return gone.length;
    },
    close: () => admin.disconnect(),
  };
}

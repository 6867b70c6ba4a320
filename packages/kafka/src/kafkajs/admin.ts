import kafkajs, { type Kafka } from 'kafkajs';
import type { AdminDriver } from '../driver.ts';

export async function connectKafkajsAdmin(kafka: Kafka): Promise<AdminDriver> {
  const admin = kafka.admin();
  await admin.connect();
  return {
    listTopics: () => admin.listTopics(),
    async createTopics(topics) {
      // resolves false when some already exist (a concurrent creator won the race): that is fine
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor,
          configEntries: [...t.configs],
        })),
      });
    },
    async partitionCounts(topics) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
      return new Map(meta.map((m) => [m.name, m.partitions.length]));
    },
    async createPartitions(topics) {
      await admin.createPartitions({ topicPartitions: [...topics] });
    },
    async alterTopicConfigs(topics) {
      await admin.alterConfigs({
        validateOnly: false,
        // (kafkajs is CommonJS: Node's ESM named-export detection misses ConfigResourceTypes.)
        resources: topics.map((t) => ({
          type: kafkajs.ConfigResourceTypes.TOPIC,
          name: t.topic,
          configEntries: [...t.configs],
        })),
      });
    },
    async deleteTopics(topics) {
      await admin.deleteTopics({ topics: [...topics] });
    },
    disconnect: () => admin.disconnect(),
  };
}

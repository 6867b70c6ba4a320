import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, ensureTopics } from '../src/index.ts';
import { testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');
const kafka = testKafka(kafkaBrokers);
const topic = uniqueName('admin-events');
const racedTopics = [uniqueName('admin-race-a'), uniqueName('admin-race-b')];
let testAdmin: KafkaTestAdmin;

beforeAll(async () => {
  testAdmin = await createKafkaTestAdmin(kafkaBrokers);
});

afterAll(async () => {
  await testAdmin?.deleteTopics([topic, `${topic}.dlq`, ...racedTopics.flatMap((t) => [t, `${t}.dlq`])]);
  await testAdmin?.disconnect();
});

async function topicConfig(name: string): Promise<Record<string, string>> {
  const admin = new Kafka({
    brokers: kafkaBrokers,
    clientId: 'admin-test',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name, configNames: ['retention.ms', 'cleanup.policy'] }],
    });
    return Object.fromEntries((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('ensureTopics', () => {
  it('creates the topic and its DLQ twin, is idempotent, grows partitions and applies retention', async () => {
    await ensureTopics(kafka, [{ topic, partitions: 2, retentionMs: 3_600_000, withDlq: true }]);
    await ensureTopics(kafka, [{ topic, partitions: 2, retentionMs: 3_600_000, withDlq: true }]);
    expect((await testAdmin.endOffsets(topic)).size).toBe(2);
    expect((await testAdmin.endOffsets(`${topic}.dlq`)).size).toBe(1);
    expect(await topicConfig(topic)).toMatchObject({ 'retention.ms': '3600000' });

    const admin = await createAdmin(kafka);
    try {
      await admin.ensureTopics([{ topic, partitions: 4, retentionMs: 7_200_000, cleanupPolicy: 'delete' }]);
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    } finally {
      await admin.disconnect();
    }
    expect((await testAdmin.endOffsets(topic)).size).toBe(4);
    expect(await topicConfig(topic)).toEqual({ 'retention.ms': '7200000', 'cleanup.policy': 'delete' });
  });

  it('survives services of one pipeline ensuring the same new topics at the same moment', async () => {
    // Each service starts with its own client and ensures the pipeline's topics; one of them sees the
    // others' topics before their partitions have leaders, which the broker answers retriably.
    const specs = racedTopics.map((t) => ({
      topic: t,
      partitions: 3,
      retentionMs: 3_600_000,
      withDlq: true,
    }));
    const clients = Array.from({ length: 4 }, () => testKafka(kafkaBrokers));
    await Promise.all(clients.map((client) => ensureTopics(client, specs)));
    for (const t of racedTopics) {
      expect((await testAdmin.endOffsets(t)).size).toBe(3);
      expect((await testAdmin.endOffsets(`${t}.dlq`)).size).toBe(1);
    }
  });
});

import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, ensureTopics } from '../src/index.ts';
import { testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');
const kafka = testKafka(kafkaBrokers);
const topic = uniqueName('admin-events');
let testAdmin: KafkaTestAdmin;

beforeAll(async () => {
  testAdmin = await createKafkaTestAdmin(kafkaBrokers);
});

afterAll(async () => {
  await testAdmin?.deleteTopics([topic, `${topic}.dlq`]);
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
});

import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, ensureTopics, openKafkaWithTopics } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');
let testAdmin: KafkaTestAdmin;

beforeAll(async () => {
  testAdmin = await createKafkaTestAdmin(kafkaBrokers);
});

const created: string[] = [];

afterAll(async () => {
  await testAdmin?.deleteTopics(created.flatMap((t) => [t, `${t}.dlq`]));
  await testAdmin?.disconnect();
});

/** Partitions of `name` as the broker reports them once their leaders answer. */
function partitionCount(name: string): Promise<number> {
  return testAdmin.endOffsets(name).then(
    (ends) => ends.size,
    () => -1, // a partition whose leader is still being elected (a topic created a moment ago)
  );
}

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

describe.each(clientKinds)('ensureTopics (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const topic = uniqueName(`admin-events-${client}`);
  const racedTopics = [uniqueName(`admin-race-a-${client}`), uniqueName(`admin-race-b-${client}`)];
  created.push(topic, ...racedTopics);

  it('creates the topic and its DLQ twin, is idempotent, grows partitions and applies retention', async () => {
    await ensureTopics(kafka, [{ topic, partitions: 2, retentionMs: 3_600_000, withDlq: true }]);
    await ensureTopics(kafka, [{ topic, partitions: 2, retentionMs: 3_600_000, withDlq: true }]);
    await expect.poll(() => partitionCount(topic)).toBe(2);
    await expect.poll(() => partitionCount(`${topic}.dlq`)).toBe(1);
    expect(await topicConfig(topic)).toMatchObject({ 'retention.ms': '3600000' });

    const admin = await createAdmin(kafka);
    try {
      await admin.ensureTopics([{ topic, partitions: 4, retentionMs: 7_200_000, cleanupPolicy: 'delete' }]);
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    } finally {
      await admin.disconnect();
    }
    await expect.poll(() => partitionCount(topic)).toBe(4);
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
    const clients = Array.from({ length: 4 }, () => testKafka(kafkaBrokers, recordingLogger(), client));
    await Promise.all(clients.map((c) => ensureTopics(c, specs)));
    for (const t of racedTopics) {
      await expect.poll(() => partitionCount(t)).toBe(3);
      await expect.poll(() => partitionCount(`${t}.dlq`)).toBe(1);
    }
  });

  it('deletes topics through the same driver', async () => {
    const doomed = uniqueName(`admin-doomed-${client}`); // deleted by the test itself
    const admin = await createAdmin(kafka);
    try {
      await admin.ensureTopics([{ topic: doomed, partitions: 1 }]);
      expect(await admin.listTopics()).toContain(doomed);
      await admin.deleteTopics([doomed]);
      await expect.poll(() => admin.listTopics()).not.toContain(doomed);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('openKafkaWithTopics', () => {
  it('ensures the topics, then gives a producer that writes to them', async () => {
    const payments = freshPaymentsTopic('with-topics');
    const topic = payments.name;
    created.push(topic);
    const { producer } = await openKafkaWithTopics({
      brokers: kafkaBrokers,
      clientId: uniqueName('with-topics'),
      logger: recordingLogger(),
      topics: [{ topic, partitions: 2, withDlq: true }],
      producer: { lingerMs: 1 },
    });
    try {
      await expect.poll(() => partitionCount(topic), { timeout: 30_000 }).toBe(2);
      await expect.poll(() => partitionCount(`${topic}.dlq`), { timeout: 30_000 }).toBe(1);
      await producer.send(payments, [{ value: payment('card-1', 1) }]);
      const records = await testAdmin.readTopic(topic);
      expect(records.map((r) => JSON.parse(r.value ?? '')).map((p) => p.paymentId)).toEqual(['card-1-p1']);
    } finally {
      await producer.disconnect();
    }
  });
});

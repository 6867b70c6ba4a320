import type { Payment } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin } from '@streamkit/testkit';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics, runConsumer } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('invalid messages (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const topic = freshPaymentsTopic(`dlq-${client}`);
  const dlq = `${topic.name}.dlq`;
  let admin: KafkaTestAdmin;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topic.name, partitions: 1, withDlq: true }]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
  });

  afterAll(async () => {
    await admin?.deleteTopics([topic.name, dlq]);
    await admin?.disconnect();
  });

  it('go to <topic>.dlq with reason and source headers, and the consumer carries on', async () => {
    // raw bytes, as a foreign producer could write them
    const raw = new Kafka({ brokers: kafkaBrokers, clientId: 'raw', logLevel: logLevel.NOTHING });
    const producer = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const bad = { ...payment('card-9', 1), amount: 0 };
    await producer.send({
      topic: topic.name,
      messages: [
        { key: 'card-9', value: JSON.stringify(payment('card-9', 0)) }, // offset 0
        { key: 'card-9', value: '{"paymentId": "p-1", oops', headers: { origin: 'legacy-gateway' } }, // 1
        { key: 'card-9', value: JSON.stringify(bad) }, // 2
        { key: 'card-9', value: JSON.stringify(payment('card-9', 3)) }, // 3
      ],
    });
    await producer.disconnect();

    const handled: Payment[] = [];
    const groupId = `${topic.name}-g`;
    const consumer = await runConsumer(kafka, {
      groupId,
      topic,
      fromBeginning: true,
      handleBatch: async (messages) => {
        handled.push(...messages.map((m) => m.value));
      },
    });
    try {
      await expect.poll(() => handled.map((p) => p.amount), { timeout: 30_000 }).toEqual([1, 4]);
      await expect.poll(async () => (await admin.committedOffsets(groupId, topic.name)).get(0)).toBe(4);
    } finally {
      await consumer.stop();
    }

    const dead = await admin.readTopic(dlq);
    expect(dead).toHaveLength(2);
    const [undecodable, invalid] = dead;
    expect(undecodable?.key).toBe('card-9');
    expect(undecodable?.value).toBe('{"paymentId": "p-1", oops');
    expect(undecodable?.headers).toMatchObject({
      origin: 'legacy-gateway',
      'x-dlq-error-kind': 'invalid',
      'x-dlq-source-topic': topic.name,
      'x-dlq-source-partition': '0',
      'x-dlq-source-offset': '1',
    });
    expect(undecodable?.headers['x-dlq-reason']).toMatch(/^undecodable Payment: not JSON: /);
    expect(invalid?.value).toBe(JSON.stringify(bad));
    expect(invalid?.headers['x-dlq-source-offset']).toBe('2');
    expect(invalid?.headers['x-dlq-reason']).toMatch(/^invalid Payment: amount: /);
  });
});

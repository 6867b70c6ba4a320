import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaTestAdmin, type KafkaTestAdmin } from '../src/kafka-test-admin.ts';
import { uniqueName } from '../src/unique-name.ts';

const { kafkaBrokers } = inject('infrastructure');
const topic = uniqueName('testkit-admin');
let admin: KafkaTestAdmin;

beforeAll(async () => {
  admin = await createKafkaTestAdmin(kafkaBrokers);
  await admin.createTopics([topic], 3);
});

afterAll(async () => {
  await admin.deleteTopics([topic]);
  await admin.disconnect();
});

describe('createKafkaTestAdmin', () => {
  it('reads back every record up to the end offsets, committed ones only by default', async () => {
    const kafka = new Kafka({ brokers: kafkaBrokers, clientId: 'testkit-test', logLevel: logLevel.WARN });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 9 }, (_, i) => ({
        key: `k${i % 3}`,
        value: `v${i}`,
        headers: { n: String(i) },
      })),
    });
    const tx = kafka.producer({
      transactionalId: uniqueName('testkit-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await tx.connect();
    const aborted = await tx.transaction();
    await aborted.send({ topic, messages: [{ key: 'k0', value: 'aborted' }] });
    await aborted.abort();
    await Promise.all([producer.disconnect(), tx.disconnect()]);

    const committed = await admin.readTopic(topic);
    expect(committed.map((r) => r.value).sort()).toEqual([
      'v0',
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
      'v8',
    ]);
    expect(committed.find((r) => r.value === 'v4')?.headers).toEqual({ n: '4' });
    expect(new Set(committed.map((r) => r.partition)).size).toBeGreaterThan(1);

    const all = await admin.readTopic(topic, { isolation: 'uncommitted' });
    expect(all.map((r) => r.value)).toContain('aborted');

    const ends = await admin.endOffsets(topic);
    expect([...ends.values()].reduce((a, b) => a + b, 0)).toBe(9 + 2); // + aborted record and its abort marker
  });

  it('reports -1 for a group that committed nothing', async () => {
    const offsets = await admin.committedOffsets(uniqueName('nobody'), topic);
    expect([...offsets.values()]).toEqual([-1, -1, -1]);
  });
});

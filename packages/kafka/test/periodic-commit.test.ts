// runConsumer's commitIntervalMs: offsets are committed on the interval (and when stopping), not
// after each run.
import { createKafkaTestAdmin, type KafkaTestAdmin, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer, ensureTopics, runConsumer, type TypedProducer } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('periodic offset commits (%s)', (client) => {
  const logger = recordingLogger();
  const kafka = testKafka(kafkaBrokers, logger, client);
  const topic = freshPaymentsTopic(`periodic-${client}`);
  let admin: KafkaTestAdmin;
  let producer: TypedProducer;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topic.name, partitions: 2, withDlq: true }]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
    producer = await createProducer(kafka);
    await producer.send(
      topic,
      Array.from({ length: 40 }, (_, i) => ({ value: payment(`card-${i % 5}`, i) })),
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics([topic.name, `${topic.name}.dlq`]);
    await admin?.disconnect();
  });

  async function committedToEnd(groupId: string): Promise<boolean> {
    const ends = await admin.endOffsets(topic.name);
    const committed = await admin.committedOffsets(groupId, topic.name);
    return [...ends].every(([partition, end]) => end === 0 || committed.get(partition) === end);
  }

  it('commits nothing before the interval, everything when stopping', async () => {
    const groupId = `${topic.name}-long`;
    const seen = new Set<string>();
    const consumer = await runConsumer(kafka, {
      groupId,
      topic,
      fromBeginning: true,
      maxBatchSize: 5,
      commitIntervalMs: 60_000,
      handleBatch: async (messages) => {
        for (const m of messages) seen.add(m.value.paymentId);
      },
    });
    await waitFor(() => seen.size === 40, { timeoutMs: 60_000, message: 'all 40 handled' });
    // 8+ runs handled, none committed: the interval has not come
    const committed = await admin.committedOffsets(groupId, topic.name);
    expect([...committed.values()].every((offset) => offset < 0)).toBe(true);
    await consumer.stop();
    expect(await committedToEnd(groupId)).toBe(true);
  });

  it('commits the newest offsets on the interval while running', async () => {
    const groupId = `${topic.name}-short`;
    let handled = 0;
    const consumer = await runConsumer(kafka, {
      groupId,
      topic,
      fromBeginning: true,
      maxBatchSize: 5,
      commitIntervalMs: 200,
      handleBatch: async (messages) => {
        handled += messages.length;
      },
    });
    try {
      await waitFor(() => committedToEnd(groupId), { timeoutMs: 60_000, message: 'offsets committed' });
      expect(handled).toBe(40);
    } finally {
      await consumer.stop();
    }
    expect(logger.lines.filter((l) => l.includes('periodic offset commit'))).toEqual([]);
  });
});

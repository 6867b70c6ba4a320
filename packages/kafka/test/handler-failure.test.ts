import { createKafkaTestAdmin, type KafkaTestAdmin } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer, ensureTopics, runConsumer, type TypedProducer } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('handler failures (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const flaky = freshPaymentsTopic(`flaky-${client}`);
  const poisoned = freshPaymentsTopic(`poisoned-${client}`);
  let admin: KafkaTestAdmin;
  let producer: TypedProducer;

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic: flaky.name, withDlq: true },
      { topic: poisoned.name, withDlq: true },
    ]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
    producer = await createProducer(kafka);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics([flaky.name, `${flaky.name}.dlq`, poisoned.name, `${poisoned.name}.dlq`]);
    await admin?.disconnect();
  });

  it('are retried with backoff, and the offset is committed only once the handler succeeded', async () => {
    await producer.send(
      flaky,
      [0, 1, 2].map((i) => ({ value: payment('card-f', i) })),
    );
    const groupId = `${flaky.name}-g`;
    const attempts: number[] = [];
    let healthy = false;
    const handled: number[] = [];
    const logger = recordingLogger();
    const consumer = await runConsumer(kafka, {
      groupId,
      topic: flaky,
      fromBeginning: true,
      logger,
      retry: { maxRetries: 1000, initialBackoffMs: 40, maxBackoffMs: 80 },
      handleBatch: async (messages) => {
        attempts.push(performance.now());
        if (!healthy) throw new Error('sink unavailable');
        handled.push(...messages.map((m) => m.value.amount));
      },
    });
    try {
      await expect.poll(() => attempts.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
      // still failing: nothing committed
      expect((await admin.committedOffsets(groupId, flaky.name)).get(0)).toBe(-1);
      expect(handled).toEqual([]);
      // equal jitter: every pause is at least half the initial backoff
      const gaps = attempts.slice(1, 4).map((t, i) => t - (attempts[i] ?? 0));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(19);
      expect(logger.lines.some((l) => l.startsWith(`warn retrying ${flaky.name}[0]`))).toBe(true);

      healthy = true;
      await expect.poll(() => handled, { timeout: 20_000 }).toEqual([1, 2, 3]);
      await expect.poll(async () => (await admin.committedOffsets(groupId, flaky.name)).get(0)).toBe(3);
    } finally {
      await consumer.stop();
    }
    expect(await admin.readTopic(`${flaky.name}.dlq`)).toEqual([]);
  });

  it('dead-letters a poison message as unprocessable and processes the others', async () => {
    await producer.send(
      poisoned,
      [0, 1, 2, 3, 4, 5, 6].map((i) => ({ value: payment('card-p', i) })),
    );
    const groupId = `${poisoned.name}-g`;
    const handled = new Set<number>();
    const consumer = await runConsumer(kafka, {
      groupId,
      topic: poisoned,
      fromBeginning: true,
      logger: recordingLogger(),
      retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 10 },
      handleBatch: async (messages) => {
        if (messages.some((m) => m.value.amount === 5)) throw new Error('amount 5 breaks the sink');
        for (const m of messages) handled.add(m.value.amount);
      },
    });
    try {
      await expect
        .poll(async () => (await admin.committedOffsets(groupId, poisoned.name)).get(0), { timeout: 30_000 })
        .toBe(7);
    } finally {
      await consumer.stop();
    }
    expect([...handled].sort()).toEqual([1, 2, 3, 4, 6, 7]);
    const dead = await admin.readTopic(`${poisoned.name}.dlq`);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.value ?? 'null')).toEqual(payment('card-p', 4));
    expect(dead[0]?.headers).toMatchObject({
      'x-dlq-error-kind': 'unprocessable',
      'x-dlq-reason': 'amount 5 breaks the sink',
      'x-dlq-source-offset': '4',
      'x-dlq-source-partition': '0',
      'x-dlq-source-topic': poisoned.name,
    });
  });
});

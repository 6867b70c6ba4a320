import { defineTopic, rejectedLogLineValidator, SchemaValidationError } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer, ensureTopics, KafkaBackpressureError, KafkaClosedError } from '../src/index.ts';
import { freshPaymentsTopic, payment, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');
const kafka = testKafka(kafkaBrokers);
const invalidTopic = freshPaymentsTopic('producer-invalid');
const burstTopic = freshPaymentsTopic('producer-burst');
// values up to 64 kB: a schema that allows large messages
const largeTopic = defineTopic(uniqueName('producer-large'), rejectedLogLineValidator, (r) => r.source);
let admin: KafkaTestAdmin;

beforeAll(async () => {
  await ensureTopics(kafka, [
    { topic: invalidTopic.name },
    { topic: burstTopic.name },
    { topic: largeTopic.name },
  ]);
  admin = await createKafkaTestAdmin(kafkaBrokers);
});

afterAll(async () => {
  await admin?.deleteTopics([invalidTopic.name, burstTopic.name, largeTopic.name]);
  await admin?.disconnect();
});

describe('createProducer', () => {
  it('rejects an invalid event with SchemaValidationError naming the field, and sends none of the batch', async () => {
    const producer = await createProducer(kafka);
    try {
      const valid = payment('card-1', 0);
      const failure = await producer
        .send(invalidTopic, [{ value: valid }, { value: { ...valid, paymentId: 'p-bad', amount: 0 } }])
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SchemaValidationError);
      const error = failure as SchemaValidationError;
      expect(error.errors.map((e) => e.field)).toEqual(['amount']);
      expect(error.message).toMatch(/^invalid Payment: amount: /);

      // a marker sent afterwards is the only record: the valid half of the rejected batch never went out
      await producer.send(invalidTopic, [{ value: payment('card-1', 1) }]);
      const records = await admin.readTopic(invalidTopic.name);
      expect(records.map((r) => JSON.parse(r.value ?? 'null').paymentId)).toEqual(['card-1-p1']);
    } finally {
      await producer.disconnect();
    }
    await expect(producer.send(invalidTopic, [{ value: payment('card-1', 2) }])).rejects.toBeInstanceOf(
      KafkaClosedError,
    );
  });

  it('splits queued large messages into requests the broker takes (found by the shipper fuzzer)', async () => {
    // 60 × 60 kB in one send: 3.6 MB, far past the broker's 1 MiB record batch, were one request
    const producer = await createProducer(kafka, { maxBatchSize: 1000, lingerMs: 20 });
    try {
      const lines = Array.from({ length: 60 }, (_, i) => ({
        value: { raw: `${i} ${'x'.repeat(60_000)}`, reason: 'too long', source: 'file' as const },
      }));
      await producer.send(largeTopic, lines);
      const records = await admin.readTopic(largeTopic.name);
      expect(records.map((r) => Number.parseInt(JSON.parse(r.value ?? '{}').raw, 10))).toEqual(
        lines.map((_, i) => i),
      );
    } finally {
      await producer.disconnect();
    }
  });

  it('sheds a burst beyond its buffer bound with a retriable KafkaBackpressureError', async () => {
    const producer = await createProducer(kafka, { maxBufferedMessages: 5, maxBatchSize: 5, lingerMs: 20 });
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          producer.send(burstTopic, [{ value: payment('card-burst', i) }]),
        ),
      );
      const accepted = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      // nothing drains synchronously: exactly the bound is taken, the rest is refused at once
      expect(accepted).toEqual([0, 1, 2, 3, 4]);
      expect(rejected).toHaveLength(35);
      for (const reason of rejected) {
        expect(reason).toBeInstanceOf(KafkaBackpressureError);
        expect((reason as KafkaBackpressureError).retriable).toBe(true);
        expect((reason as KafkaBackpressureError).retryAfterMs).toBeGreaterThan(0);
      }
      // once drained, sending works again
      await producer.send(burstTopic, [{ value: payment('card-burst', 99) }]);
      const stored = await admin.readTopic(burstTopic.name);
      expect(stored.map((r) => JSON.parse(r.value ?? 'null').amount)).toEqual([1, 2, 3, 4, 5, 100]);
    } finally {
      await producer.disconnect();
    }
  });
});

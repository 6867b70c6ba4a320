/**
 * Producer-only and consumer-only throughput through @streamkit/kafka, per client library.
 * Produces N payments to a fresh topic as fast as the producer's buffer allows (acks=all,
 * idempotent), then consumes them from the beginning with a fresh group (commit after each batch).
 * Usage: node bench/throughput.ts [--client kafkajs|platformatic] [--messages 100000] [--partitions 3]
 * Prints one JSON line; the figures are noisy on a shared machine: repeat and compare medians.
 */
import { parseArgs } from 'node:util';
import { defineTopic, type Payment, paymentValidator } from '@streamkit/schemas';
import { createAdmin, createKafka, createProducer, type KafkaClientKind, runConsumer } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: 'kafkajs' },
    messages: { type: 'string', default: '100000' },
    partitions: { type: 'string', default: '3' },
    brokers: { type: 'string', default: '127.0.0.1:9092' },
  },
});
const client = values.client as KafkaClientKind;
const total = Number(values.messages);
const partitions = Number(values.partitions);
const kafka = createKafka({ brokers: values.brokers.split(','), clientId: `bench-${client}`, client });
const name = `bench.throughput.${client}.${process.pid}.${Date.now()}`;
const topic = defineTopic(name, paymentValidator, (p) => p.cardId);
const admin = await createAdmin(kafka);
await admin.ensureTopics([{ topic: name, partitions, retentionMs: 3_600_000, withDlq: true }]);

function payment(i: number): Payment {
  return {
    paymentId: `p-${i}`,
    cardId: `card-${i % 1000}`,
    accountId: `acct-${i % 1000}`,
    merchantId: 'm-1',
    mcc: '5411',
    amount: (i % 5000) + 1,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(1_735_689_600_000 + i).toISOString(),
  };
}

try {
  // producer: keep up to `window` messages outstanding (below maxBufferedMessages), 100 per send()
  const producer = await createProducer(kafka, {
    lingerMs: 5,
    maxBatchSize: 1000,
    maxBufferedMessages: 50_000,
  });
  const window = 40_000;
  const chunk = 100;
  const produceStart = performance.now();
  const pending = new Set<Promise<void>>();
  let outstanding = 0;
  for (let i = 0; i < total; i += chunk) {
    const n = Math.min(chunk, total - i);
    while (outstanding + n > window) await Promise.race(pending);
    outstanding += n;
    const sent: Promise<void> = producer
      .send(
        topic,
        Array.from({ length: n }, (_, k) => ({ value: payment(i + k) })),
      )
      .finally(() => {
        outstanding -= n;
        pending.delete(sent);
      });
    pending.add(sent);
  }
  await Promise.all(pending);
  const produceS = (performance.now() - produceStart) / 1000;
  await producer.disconnect();

  // consumer: time from the group join to the last record handled
  let received = 0;
  let allIn: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allIn = resolve;
  });
  const consumeStart = performance.now();
  const consumer = await runConsumer(kafka, {
    groupId: `${name}-g`,
    topic,
    fromBeginning: true,
    maxBatchSize: 1000,
    partitionsConsumedConcurrently: partitions,
    handleBatch: async (messages) => {
      received += messages.length;
      if (received >= total) allIn();
    },
  });
  const joinedS = (performance.now() - consumeStart) / 1000;
  const readStart = performance.now();
  await finished;
  const consumeS = (performance.now() - readStart) / 1000;
  await consumer.stop();
  console.log(
    JSON.stringify({
      client,
      messages: total,
      partitions,
      produceMsgPerS: Math.round(total / produceS),
      consumeMsgPerS: Math.round(total / consumeS),
      produceS: Number(produceS.toFixed(2)),
      consumeS: Number(consumeS.toFixed(2)),
      joinS: Number(joinedS.toFixed(2)),
    }),
  );
} finally {
  await admin.deleteTopics([name, `${name}.dlq`]);
  await admin.disconnect();
}

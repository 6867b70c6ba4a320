import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { createServiceRegistry } from '@streamkit/runtime';
import type { Payment } from '@streamkit/schemas';
import { createPipelineMetrics, startTracing, type Tracing } from '@streamkit/telemetry';
import { createKafkaTestAdmin, type KafkaTestAdmin } from '@streamkit/testkit';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createProducer,
  ensureTopics,
  type IncomingMessage,
  runConsumer,
  type TypedProducer,
} from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

/** Where kafkajs's Java-compatible (murmur2) partitioner puts `key` among `count` partitions. */
function javaPartition(key: string, count: number): number {
  const partitionMetadata = Array.from(
    { length: count },
    (_, partitionId): PartitionMetadata => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
      partitionErrorCode: 0,
    }),
  );
  return Partitioners.DefaultPartitioner()({ topic: 't', partitionMetadata, message: { key, value: null } });
}
let tracing: Tracing;
let admin: KafkaTestAdmin;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'kafka-package-test' });
  admin = await createKafkaTestAdmin(kafkaBrokers);
});

afterAll(async () => {
  await admin?.disconnect();
  await tracing?.shutdown();
});

describe.each(clientKinds)('produce → consume (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const topic = freshPaymentsTopic(`payments-${client}`);
  let producer: TypedProducer;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topic.name, partitions: 3, withDlq: true }]);
    producer = await createProducer(kafka, { lingerMs: 2 });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics([topic.name, `${topic.name}.dlq`]);
  });

  it('delivers typed events, in order per key across partitions, with the producer’s trace', async () => {
    const cards = ['card-a', 'card-b', 'card-c', 'card-d', 'card-e', 'card-f'];
    const perCard = 15;
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanContext = {
      traceId,
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: false,
    };

    // one send() per event, not awaited in between: order of calls must be order per key
    const sends: Promise<void>[] = [];
    context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => {
      for (let seq = 0; seq < perCard; seq++) {
        for (const card of cards) sends.push(producer.send(topic, [{ value: payment(card, seq) }]));
      }
    });
    await Promise.all(sends);

    const registry = createServiceRegistry('kafka-test');
    const metrics = createPipelineMetrics(registry);
    const received: IncomingMessage<Payment>[] = [];
    const traceIds = new Set<string | undefined>();
    const consumer = await runConsumer(kafka, {
      groupId: `${topic.name}-reader`,
      topic,
      fromBeginning: true,
      metrics,
      handleMessage: async (message) => {
        traceIds.add(trace.getSpanContext(context.active())?.traceId);
        received.push(message);
      },
    });
    try {
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(cards.length * perCard);
    } finally {
      await consumer.stop();
    }
    await consumer.done;

    const partitions = new Set(received.map((m) => m.partition));
    expect(partitions.size).toBeGreaterThan(1);
    for (const card of cards) {
      const ofCard = received.filter((m) => m.key === card);
      expect(new Set(ofCard.map((m) => m.partition)).size).toBe(1);
      expect(ofCard.map((m) => m.value.amount)).toEqual(Array.from({ length: perCard }, (_, i) => i + 1));
      expect(ofCard[0]?.value).toEqual(payment(card, 0));
    }
    // Java-compatible partitioning, whichever client produced: these partitions are kafkajs's (murmur2)
    expect(Object.fromEntries(cards.map((c) => [c, received.find((m) => m.key === c)?.partition]))).toEqual(
      Object.fromEntries(cards.map((c) => [c, javaPartition(c, 3)])),
    );
    expect(received[0]?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect([...traceIds]).toEqual([traceId]);
    expect(typeof received[0]?.timestamp).toBe('number');

    const eventsIn = (await registry.getSingleMetric('streamkit_events_in_total')?.get())?.values ?? [];
    expect(eventsIn.reduce((sum, v) => sum + v.value, 0)).toBe(cards.length * perCard);

    // every partition that holds records is committed up to its end (an empty one stays at -1)
    const committed = await admin.committedOffsets(`${topic.name}-reader`, topic.name);
    for (const [partition, end] of await admin.endOffsets(topic.name)) {
      expect(committed.get(partition)).toBe(end > 0 ? end : -1);
    }
  });
});

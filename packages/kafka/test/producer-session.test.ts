// The shared producer's idempotent session lost (issue 14: after a broker restart kafkajs failed every
// later send with OUT_OF_ORDER_SEQUENCE_NUMBER, tulios/kafkajs#598). Two tests, both on real brokers:
// - forced: the real broker is made to answer OUT_OF_ORDER_SEQUENCE_NUMBER by shifting, for the
//   first producer id only, the first sequence kafkajs puts in its produce requests (a wedged
//   session, as kafkajs' rewound sequence numbers leave it); deterministic;
// - a private broker restarted three times under continuous sends (the error itself is timing).
// Both assert that every send that resolved is in the topic and that sends resume.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceRegistry } from '@streamkit/runtime';
import { defineTopic, type RejectedLogLine, rejectedLogLineValidator } from '@streamkit/schemas';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { findRepoRoot, type PrivateKafka, preparePrivateKafka, uniqueName } from '@streamkit/testkit';
import { afterAll, expect, inject, it, vi } from 'vitest';
import { driverOf } from '../src/client.ts';
import { createProducer, ensureTopics, type KafkaClient } from '../src/index.ts';
import { sessionLossReason } from '../src/producer-session.ts';
import { recordingLogger, testKafka } from './helpers.ts';

const newTopic = (prefix: string) =>
  defineTopic(uniqueName(prefix), rejectedLogLineValidator, (r) => r.raw.slice(-2));
const line = (raw: string): { value: RejectedLogLine } => ({
  value: { raw, reason: 'session test', source: 'http' },
});

async function storedRaws(kafka: KafkaClient, topic: string): Promise<Set<string>> {
  const records = await (await driverOf(kafka)).readTopic(topic, 120_000);
  return new Set(records.map((r) => (JSON.parse(String(r.value)) as RejectedLogLine).raw));
}

async function resetCount(
  registry: ReturnType<typeof createServiceRegistry>,
  reason: string,
): Promise<number> {
  const metric = await registry.getSingleMetric('streamkit_kafka_producer_session_resets_total')?.get();
  return (
    metric?.values.find((v: { labels: Record<string, unknown>; value: number }) => v.labels.reason === reason)
      ?.value ?? 0
  );
}

it('recognises the session-loss answers of both client libraries, through wrappers', () => {
  const kafkajs = { name: 'KafkaJSProtocolError', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  expect(sessionLossReason({ name: 'KafkaJSNonRetriableError', cause: kafkajs })).toBe(
    'out_of_order_sequence',
  );
  expect(sessionLossReason({ errors: [{ cause: { apiId: 'UNKNOWN_PRODUCER_ID' } }] })).toBe(
    'unknown_producer_id',
  );
  expect(sessionLossReason({ type: 'INVALID_PRODUCER_EPOCH' })).toBe('invalid_producer_epoch');
  expect(sessionLossReason({ type: 'NOT_LEADER_FOR_PARTITION' })).toBeUndefined();
});

it('a broker refusing the session (out of order sequence): new producer id, the batch sent again, nothing lost', async () => {
  const { kafkaBrokers } = inject('infrastructure');
  const logger = recordingLogger();
  const kafka = testKafka(kafkaBrokers, logger);
  const topic = newTopic('session-forced');
  await ensureTopics(kafka, [{ topic: topic.name, partitions: 2 }]);
  // kafkajs' Broker, as the driver loaded it (same module cache)
  const requireKafkajs = createRequire(createRequire(import.meta.url).resolve('kafkajs'));
  const { prototype } = requireKafkajs('./src/broker/index.js') as {
    prototype: { produce(request: ProduceRequest): Promise<unknown> };
  };
  let wedgedProducerId: number | undefined;
  let armed = false;
  const produce = prototype.produce;
  const spy = vi.spyOn(prototype, 'produce').mockImplementation(function (this: unknown, request) {
    wedgedProducerId ??= request.producerId;
    if (!armed || request.producerId !== wedgedProducerId) return produce.call(this, request);
    const topicData = request.topicData.map((t) => ({
      ...t,
      partitions: t.partitions.map((p) => ({ ...p, firstSequence: p.firstSequence + 1 })),
    }));
    return produce.call(this, { ...request, topicData });
  });
  const registry = createServiceRegistry('producer-session-test');
  const producer = await createProducer(kafka, { metrics: createPipelineMetrics(registry) });
  try {
    await producer.send(topic, ['a-00', 'a-01', 'a-02'].map(line));
    armed = true;
    // concurrent sends while the session is replaced: they wait, none fails
    const sends = Array.from({ length: 20 }, (_, i) => producer.send(topic, [line(`b-${i}`)]));
    await Promise.all(sends);
    await producer.send(topic, [line('c-00')]);
  } finally {
    await producer.disconnect();
    spy.mockRestore();
  }
  expect(await resetCount(registry, 'out_of_order_sequence')).toBe(1);
  expect(logger.lines.filter((l) => l.includes('new idempotent session'))).toEqual([
    'warn kafka producer: new idempotent session (new producer id) after out_of_order_sequence',
  ]);
  const stored = await storedRaws(kafka, topic.name);
  const expected = ['a-00', 'a-01', 'a-02', ...Array.from({ length: 20 }, (_, i) => `b-${i}`), 'c-00'];
  expect(expected.filter((raw) => !stored.has(raw))).toEqual([]);
});

interface ProduceRequest {
  producerId: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence: number }[] }[];
}

let dir: string | undefined;
let broker: PrivateKafka | undefined;

afterAll(async () => {
  await broker?.stop().catch(() => undefined);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('continuous sends through three broker restarts: every resolved send is in the topic, sends resume', {
  timeout: 600_000,
}, async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamkit-producer-session-'));
  broker = await preparePrivateKafka(dir, findRepoRoot());
  await broker.start();
  const logger = recordingLogger();
  const kafka = testKafka(broker.brokers, logger);
  const topic = newTopic('session-restart');
  await ensureTopics(kafka, [{ topic: topic.name, partitions: 4 }]);
  const registry = createServiceRegistry('producer-session-test');
  const producer = await createProducer(kafka, { metrics: createPipelineMetrics(registry) });
  const resolved: string[] = [];
  const failed: string[] = [];
  let sequence = 0;
  let sending = true;
  // the hub's pattern: many small concurrent sends; a failure is the caller's to retry, not ours
  const loop = (async () => {
    while (sending) {
      const raws = Array.from({ length: 5 }, () => `r-${String(sequence++).padStart(6, '0')}`);
      void producer.send(topic, raws.map(line)).then(
        () => resolved.push(...raws),
        () => failed.push(...raws),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const resolvedSince = async (mark: number) =>
    expect.poll(() => resolved.length, { timeout: 180_000, interval: 100 }).toBeGreaterThan(mark + 200);
  try {
    await resolvedSince(0);
    for (let restart = 0; restart < 3; restart++) {
      await broker.stop();
      await broker.start();
      // sends resume after each restart (a wedged producer would fail them all)
      await resolvedSince(resolved.length);
    }
  } finally {
    sending = false;
    await loop;
    await producer.disconnect();
  }
  const stored = await storedRaws(kafka, topic.name);
  const lost = resolved.filter((raw) => !stored.has(raw));
  const resets = await registry.getSingleMetric('streamkit_kafka_producer_session_resets_total')?.get();
  console.info(
    `producer-session restart test: ${resolved.length} resolved, ${failed.length} failed, ${lost.length} lost, resets ${JSON.stringify(resets?.values.map((v: { labels: Record<string, unknown>; value: number }) => [v.labels.reason, v.value]))}`,
  );
  expect(lost).toEqual([]);
  expect(resolved.length).toBeGreaterThan(800);
});

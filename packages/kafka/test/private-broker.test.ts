// Faults of the broker itself, on a private one (its own ports and data) that this file starts late,
// stops and starts again — the shared broker is never touched:
// - a service that starts while Kafka is down waits for it (one line per attempt) and becomes
//   healthy once it is up, instead of exiting 1 and crash-looping;
// - a running consumer rides out a broker restart (retriable errors) and reads what comes after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleLogger, defineService, type RunningService, startService } from '@streamkit/runtime';
import { defineTopic, rejectedLogLineValidator } from '@streamkit/schemas';
import { findRepoRoot, type PrivateKafka, preparePrivateKafka, uniqueName } from '@streamkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acquireAdmin, acquireProducer, createKafka, createProducer, runConsumer } from '../src/index.ts';

let dir: string;
let kafka: PrivateKafka;
let service: RunningService<unknown, unknown> | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamkit-start-while-down-'));
  kafka = await preparePrivateKafka(dir, findRepoRoot());
});

afterAll(async () => {
  await service?.stop().catch(() => undefined);
  await kafka?.stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const topic = defineTopic(uniqueName('private-broker'), rejectedLogLineValidator, (r) => r.source);

it('waits for a broker that is down at start, then is healthy and produces', {
  timeout: 300_000,
}, async () => {
  const lines: string[] = [];
  const logger = createConsoleLogger('info', (line) => lines.push(line));
  const definition = defineService({
    name: 'kafka-waiter',
    config: {},
    async start({ acquire }) {
      const client = createKafka({
        brokers: kafka.brokers,
        clientId: 'kafka-waiter',
        logLevel: 'silent',
      });
      const admin = await acquireAdmin({ acquire }, client, [{ topic: topic.name, partitions: 2 }]);
      const producer = await acquireProducer({ acquire }, client);
      return {
        metrics: {
          port: 0,
          host: '127.0.0.1',
          checks: { kafka: async () => void (await admin.listTopics()) },
        },
        parts: { admin, producer },
      };
    },
  });
  const starting = startService(definition, {
    env: {},
    logger,
  });
  const waits = () =>
    lines
      .map((l) => JSON.parse(l) as { message: string; reason?: string; attempt?: number })
      .filter((l) => l.message.startsWith('kafka admin unavailable'));
  // it waits (several attempts, each naming the reason) rather than failing
  await expect.poll(() => waits().length, { timeout: 120_000, interval: 200 }).toBeGreaterThanOrEqual(2);
  expect(waits()[0]).toMatchObject({ attempt: 1 });
  expect(waits()[0]?.reason).toMatch(/ECONNREFUSED|kafka:retriable/);

  await kafka.start();
  service = await starting;
  const health = await fetch(`${service.address}/health`);
  expect(health.status).toBe(200);
  expect(lines.some((l) => l.includes('kafka admin available after'))).toBe(true);
  const { admin, producer } = service.parts as {
    admin: Awaited<ReturnType<typeof acquireAdmin>>;
    producer: Awaited<ReturnType<typeof acquireProducer>>;
  };
  expect(await admin.listTopics()).toContain(topic.name);
  await producer.send(topic, [{ value: { raw: 'x', reason: 'a test record', source: 'http' } }]);
  const metrics = await (await fetch(`${service.address}/metrics`)).text();
  expect(metrics).toMatch(/streamkit_startup_waits_total\{[^}]*step="kafka admin"/);
});

it('a consumer rides out a broker restart and reads what is produced after it', {
  timeout: 400_000,
}, async () => {
  // the settings of the fraud loadgen's decision consumer
  const client = createKafka({ brokers: kafka.brokers, clientId: 'restart-rider', logLevel: 'silent' });
  const seen = new Set<string>();
  const consumer = await runConsumer(client, {
    groupId: uniqueName('restart-rider'),
    topic,
    fromBeginning: true,
    isolation: 'read_committed',
    maxBatchSize: 1000,
    fetchMaxWaitMs: 50,
    partitionsConsumedConcurrently: 8,
    async handleBatch(messages) {
      for (const { value } of messages) seen.add(value.raw);
    },
  });
  let crashed: unknown;
  consumer.done.catch((error: unknown) => {
    crashed = error;
  });
  try {
    const producer = await createProducer(client);
    const send = (raws: string[]) =>
      producer.send(
        topic,
        raws.map((raw) => ({ value: { raw, reason: 'restart test', source: 'http' as const } })),
      );
    await send(['before-1', 'before-2']);
    await expect.poll(() => seen.has('before-2'), { timeout: 60_000, interval: 100 }).toBe(true);
    await producer.disconnect();

    await kafka.stop();
    await kafka.start();

    const after = await createProducer(client);
    await after.send(topic, [{ value: { raw: 'after-1', reason: 'restart test', source: 'http' } }]);
    await after.disconnect();
    await expect.poll(() => seen.has('after-1'), { timeout: 180_000, interval: 200 }).toBe(true);
    expect(crashed).toBeUndefined();
  } finally {
    await consumer.stop();
  }
});

// A consumer whose client library gives up on its group during a broker outage (kafkajs: "Failed to
// find group coordinator", `restart: false`; @platformatic/kafka: its stream fails) is restarted by
// the consumer loop with backoff, in the same process, and resumes from its committed offsets:
// nothing committed is read again, nothing produced after the restart is missed. On a private broker (its own ports and data) that this file
// starts, stops and starts again — the shared broker is never touched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceRegistry, type Logger } from '@streamkit/runtime';
import { defineTopic, rejectedLogLineValidator } from '@streamkit/schemas';
import { createPipelineMetrics } from '@streamkit/telemetry';
import {
  createKafkaTestAdmin,
  findRepoRoot,
  type KafkaTestAdmin,
  type PrivateKafka,
  preparePrivateKafka,
  uniqueName,
} from '@streamkit/testkit';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  createKafka,
  createProducer,
  describeOutage,
  type InfrastructureOutage,
  type KafkaClientKind,
  type RunningConsumer,
  runConsumer,
} from '../src/index.ts';
import { recordingLogger } from './helpers.ts';

let dir: string;
let kafka: PrivateKafka;
let admin: KafkaTestAdmin | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamkit-member-restart-'));
  kafka = await preparePrivateKafka(dir, findRepoRoot());
  await kafka.start();
}, 300_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await kafka?.stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const topic = defineTopic(uniqueName('member-restart'), rejectedLogLineValidator, (r) => r.source);

/** One consumer of `topic` on a client library, with what it read and what it said. */
async function watchedConsumer(kind: KafkaClientKind, groupId: string) {
  const recorded = recordingLogger();
  let running: RunningConsumer | undefined;
  const outagesAtRestart: (InfrastructureOutage | undefined)[] = [];
  const logger: Logger & { readonly lines: string[] } = {
    ...recorded,
    warn(message, fields) {
      recorded.warn(message, fields);
      if (message.includes('left its group on an outage')) outagesAtRestart.push(running?.outage());
    },
  };
  // one retry (the least kafkajs' idempotent DLQ producer allows): kafkajs gives up on the group
  // coordinator at once on a restarting broker instead of after its default budget
  const client = createKafka({
    brokers: kafka.brokers,
    clientId: `member-restart-${kind}`,
    client: kind,
    logLevel: 'silent',
    logger,
    ...(kind === 'kafkajs' ? { retries: 1 } : {}),
  });
  const metrics = createPipelineMetrics(createServiceRegistry(`member-restart-${kind}`));
  const deliveries = new Map<string, number>();
  const consumer = await runConsumer(client, {
    groupId,
    topic,
    fromBeginning: true,
    maxBatchSize: 100,
    fetchMaxWaitMs: 50,
    // short, so the member needs its coordinator (heartbeats) soon after the broker went away
    sessionTimeoutMs: 6000,
    transientRetry: { initialBackoffMs: 200, maxBackoffMs: 2000 },
    logger,
    metrics,
    async handleBatch(messages) {
      for (const { value } of messages) deliveries.set(value.raw, (deliveries.get(value.raw) ?? 0) + 1);
    },
  });
  running = consumer;
  const state = { finished: 'running' as unknown };
  consumer.done.then(
    () => {
      state.finished = 'stopped';
    },
    (error: unknown) => {
      state.finished = error;
    },
  );
  return {
    kind,
    groupId,
    consumer,
    deliveries,
    state,
    outagesAtRestart,
    lines: logger.lines,
    restarted: () => outagesAtRestart.length > 0,
    transientFailures: async () =>
      (await metrics.transientFailures.get()).values
        .filter((v) => v.labels.topic === topic.name)
        .reduce((sum, v) => sum + v.value, 0),
  };
}

it('restarts a consumer its client gave up on during a broker outage; it resumes from the committed offsets', {
  timeout: 600_000,
}, async () => {
  const testAdmin = await createKafkaTestAdmin(kafka.brokers);
  admin = testAdmin;
  await testAdmin.createTopics([topic.name], 2);
  const producing = createKafka({
    brokers: kafka.brokers,
    clientId: 'member-restart-producer',
    logLevel: 'silent',
  });
  // a first group on the fresh broker creates __consumer_offsets (its first lookup would fail)
  const warmup = await runConsumer(producing, {
    groupId: uniqueName('member-restart-warmup'),
    topic,
    logger: recordingLogger(),
    async handleBatch() {},
  });
  await warmup.stop();
  const watched = [
    await watchedConsumer('kafkajs', uniqueName('member-restart-kafkajs')),
    await watchedConsumer('platformatic', uniqueName('member-restart-platformatic')),
  ];
  const produce = async (prefix: string) => {
    const producer = await createProducer(producing);
    const raws = Array.from({ length: 40 }, (_, i) => `${prefix}-${i}`);
    await producer.send(
      topic,
      raws.map((raw, i) => ({
        key: `k${i % 7}`,
        value: { raw, reason: 'member restart test', source: 'http' as const },
      })),
    );
    await producer.disconnect();
    return raws;
  };
  const committedAll = async (groupId: string) => {
    const [committed, ends] = await Promise.all([
      testAdmin.committedOffsets(groupId, topic.name),
      testAdmin.endOffsets(topic.name),
    ]);
    return [...ends].every(([p, end]) => (committed.get(p) ?? -1) === end || end === 0);
  };
  try {
    const before = await produce('before');
    for (const w of watched) {
      await expect
        .poll(() => before.every((r) => w.deliveries.has(r)), { timeout: 60_000, interval: 100 })
        .toBe(true);
      await expect.poll(() => committedAll(w.groupId), { timeout: 60_000, interval: 200 }).toBe(true);
    }
    await testAdmin.disconnect();
    admin = undefined;

    // kafkajs restarts itself while the broker is down and gives up ("Failed to find group
    // coordinator", restart: false) when a coordinator lookup fails on the restarting broker, a race
    // with the broker's start: restart the broker until a client gave up (a few times at most)
    const anyRestarted = () => watched.some((w) => w.restarted());
    // up to 20 s for a client to give up; none may, and then the next cycle tries again
    const awaitGiveUp = () =>
      vi
        .waitFor(
          () => {
            if (!anyRestarted()) throw new Error('no client gave up yet');
          },
          { timeout: 20_000, interval: 100 },
        )
        .catch(() => undefined);
    for (let cycle = 0; cycle < 3 && !anyRestarted(); cycle++) {
      await kafka.stop();
      await awaitGiveUp();
      await kafka.start();
      await awaitGiveUp();
    }
    const restarted = watched.filter((w) => w.restarted());
    console.info(
      `member restarts: ${watched.map((w) => `${w.kind} ${w.outagesAtRestart.length}`).join(', ')}`,
    );
    if (watched.every((w) => !w.restarted())) console.info(watched.flatMap((w) => w.lines).join('\n'));
    expect(restarted.length).toBeGreaterThan(0);

    const after = await produce('after');
    for (const w of watched) {
      await expect
        .poll(() => after.every((r) => w.deliveries.has(r)), { timeout: 240_000, interval: 200 })
        .toBe(true)
        .catch((error: unknown) => {
          console.info(`${w.kind} missed records after the restart:\n${w.lines.slice(-40).join('\n')}`);
          throw error;
        });
      await expect.poll(() => w.consumer.outage(), { timeout: 60_000, interval: 200 }).toBeUndefined();
      expect(w.state.finished, w.kind).toBe('running');
      // committed before the outage: not read again; everything after: read once
      for (const raw of [...before, ...after]) expect(w.deliveries.get(raw), `${w.kind} ${raw}`).toBe(1);
      expect(w.deliveries.size).toBe(before.length + after.length);
    }
    for (const w of restarted) {
      // while it restarts, outage() (so /health) says why: read when the restart is announced
      expect(w.outagesAtRestart[0]).toMatchObject({ topic: topic.name, rejoining: true });
      expect(describeOutage(w.outagesAtRestart[0] as InfrastructureOutage)).toMatch(/rejoining its group/);
      expect(await w.transientFailures()).toBeGreaterThan(0); // each attempt is counted
    }
  } finally {
    await Promise.all(watched.map((w) => w.consumer.stop()));
  }
  for (const w of watched) expect(w.state.finished).toBe('stopped');
});

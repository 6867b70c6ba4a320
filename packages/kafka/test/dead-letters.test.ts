import { PoisonError } from '@streamkit/runtime';
import { createKafkaTestAdmin, type KafkaTestAdmin, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createProducer,
  dlqHeaders,
  ensureTopics,
  readDeadLetters,
  replayDeadLetters,
  runConsumer,
  type TypedProducer,
} from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('dead letters: read and replay (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const topic = freshPaymentsTopic(`replay-${client}`);
  const dlq = `${topic.name}.dlq`;
  let admin: KafkaTestAdmin;
  let producer: TypedProducer;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topic.name, withDlq: true, partitions: 2 }]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
    producer = await createProducer(kafka);
    // dead letters made the way a pipeline makes them: a consumer whose handler rejects amounts 2 and 5
    await producer.send(
      topic,
      [0, 1, 2, 3, 4].map((i) => ({ value: payment(`card-${i}`, i) })),
    );
    const groupId = `${topic.name}-g`;
    const consumer = await runConsumer(kafka, {
      groupId,
      topic,
      fromBeginning: true,
      logger: recordingLogger(),
      handleMessage: async ({ value }) => {
        if (value.amount === 2 || value.amount === 5)
          throw new PoisonError(`amount ${value.amount} is refused`);
      },
    });
    try {
      const consumed = async () =>
        [...(await admin.committedOffsets(groupId, topic.name)).values()].reduce(
          (a, b) => a + Math.max(0, b),
          0,
        ) === 5;
      await waitFor(consumed, { timeoutMs: 30_000, message: 'consumer committed all 5 records' });
    } finally {
      await consumer.stop();
    }
    // one that came from elsewhere (an MQTT hub writes these): listed, never replayed
    await producer.send(freshDlqTopic(dlq), [
      {
        value: payment('card-x', 9),
        headers: {
          [dlqHeaders.sourceTopic]: 'mqtt:devices/x',
          [dlqHeaders.reason]: 'not JSON',
          [dlqHeaders.errorKind]: 'invalid',
        },
      },
    ]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics([topic.name, dlq]);
    await admin?.disconnect();
  });

  it('reads each dead letter with its source, reason and kind', async () => {
    const letters = await readDeadLetters(kafka, dlq);
    const described = letters
      .map((l) => [l.reason, l.sourceTopic, l.errorKind, l.key?.toString(), l.replayedAt])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(described).toEqual([
      ['amount 2 is refused', topic.name, 'poison', 'card-1', undefined],
      ['amount 5 is refused', topic.name, 'poison', 'card-4', undefined],
      ['not JSON', undefined, 'invalid', 'card-x', undefined],
    ]);
  });

  it('replays to the source topic once: a dry run changes nothing, a second replay replays nothing', async () => {
    const before = await admin.readTopic(topic.name);
    const sourceTopics = new Set([topic.name]);
    const dry = await replayDeadLetters(kafka, dlq, { sourceTopics, dryRun: true });
    expect(dry.replayed).toHaveLength(2);
    expect(await admin.readTopic(topic.name)).toHaveLength(before.length);

    const progress: string[] = [];
    const first = await replayDeadLetters(kafka, dlq, {
      sourceTopics,
      batchSize: 1,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(first).toMatchObject({ selected: 3, alreadyReplayed: 0 });
    expect(first.replayed).toHaveLength(2);
    expect(first.notReplayable.map((l) => l.headers[dlqHeaders.sourceTopic])).toEqual(['mqtt:devices/x']);
    expect(progress).toEqual(['1/2', '2/2']);

    // the commit returns once the coordinator decided; the markers that make the records readable
    // (read_committed) reach the partitions a moment later
    await expect
      .poll(async () => (await admin.readTopic(topic.name)).length, { timeout: 15_000 })
      .toBe(before.length + 2);
    const after = await admin.readTopic(topic.name);
    const replays = after.filter((r) => r.headers['x-dlq-replay-of'] !== undefined);
    expect(replays.map((r) => JSON.parse(r.value ?? 'null').amount).sort()).toEqual([2, 5]);
    expect(replays.every((r) => r.headers[dlqHeaders.reason] === undefined)).toBe(true);
    expect(replays.map((r) => r.key).sort()).toEqual(['card-1', 'card-4']);

    const second = await replayDeadLetters(kafka, dlq, { sourceTopics });
    expect(second).toMatchObject({ selected: 3, alreadyReplayed: 2 });
    expect(second.replayed).toEqual([]);
    expect(await admin.readTopic(topic.name)).toHaveLength(after.length);
    const letters = await readDeadLetters(kafka, dlq);
    expect(letters).toHaveLength(3); // the markers are not dead letters
    expect(letters.filter((l) => l.replayedAt !== undefined)).toHaveLength(2);
  });
});

/** The DLQ as a topic the test producer may write to (any payload validates as a Payment here). */
function freshDlqTopic(name: string) {
  return { ...freshPaymentsTopic('unused'), name };
}

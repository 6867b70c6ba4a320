import { defineTopic, type PaymentDecision, paymentDecisionValidator } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer, ensureTopics, runConsumer, runTransactionalProcessor } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('runTransactionalProcessor (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const input = freshPaymentsTopic(`tx-in-${client}`);
  const mixed = freshPaymentsTopic(`tx-mixed-${client}`);
  const restart = freshPaymentsTopic(`tx-restart-${client}`);
  const restartOut = defineTopic(
    uniqueName(`tx-restart-out-${client}`),
    paymentDecisionValidator,
    (d) => d.cardId,
  );
  const output = defineTopic(uniqueName(`tx-decisions-${client}`), paymentDecisionValidator, (d) => d.cardId);
  let admin: KafkaTestAdmin;

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic: input.name, partitions: 2, withDlq: true },
      { topic: output.name, partitions: 2, withDlq: true },
      { topic: mixed.name, partitions: 1, withDlq: true },
      { topic: restart.name, partitions: 1, withDlq: true },
      { topic: restartOut.name, partitions: 1 },
    ]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
  });

  afterAll(async () => {
    await admin?.deleteTopics([
      input.name,
      `${input.name}.dlq`,
      output.name,
      `${output.name}.dlq`,
      mixed.name,
      `${mixed.name}.dlq`,
      restart.name,
      `${restart.name}.dlq`,
      restartOut.name,
    ]);
    await admin?.disconnect();
  });

  it('writes each input’s output exactly once for read_committed readers, even when process throws mid-way', async () => {
    const total = 30;
    const producer = await createProducer(kafka);
    await producer.send(
      input,
      Array.from({ length: total }, (_, i) => ({ value: payment(`card-${i % 5}`, i) })),
    );
    await producer.disconnect();

    const groupId = `${input.name}-processor`;
    let failures = 0;
    const logger = recordingLogger();
    const processor = await runTransactionalProcessor(kafka, {
      groupId,
      transactionalId: `${groupId}-instance-0`,
      topic: input,
      fromBeginning: true,
      maxBatchSize: 8,
      logger,
      retry: { maxRetries: 3, initialBackoffMs: 10, maxBackoffMs: 20 },
      process: async (payments, out) => {
        for (const p of payments) {
          const decision: PaymentDecision = {
            paymentId: p.value.paymentId,
            cardId: p.value.cardId,
            decision: 'approve',
            score: 0.1,
            reasons: [],
            ruleIds: [],
            modelVersion: 'test',
            decidedAt: new Date().toISOString(),
            paymentTs: p.value.ts,
          };
          out.send(output, [{ value: decision }]);
          // fail once, after part of this batch's outputs went into the transaction
          if (p.value.amount === 13 && failures++ === 0) throw new Error('scorer crashed');
        }
      },
    });

    const seen: string[] = [];
    const reader = await runConsumer(kafka, {
      groupId: `${output.name}-reader`,
      topic: output,
      fromBeginning: true,
      handleBatch: async (decisions) => {
        seen.push(...decisions.map((d) => d.value.paymentId));
      },
    });
    try {
      await expect
        .poll(
          async () => {
            const committed = await admin.committedOffsets(groupId, input.name);
            const ends = await admin.endOffsets(input.name);
            return [...ends].every(([p, end]) => end === 0 || committed.get(p) === end);
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(total);
    } finally {
      await processor.stop();
      await reader.stop();
    }

    expect(failures).toBe(2); // failed once, then the retry of that batch passed the same record
    const inputs = Array.from({ length: total }, (_, i) => payment(`card-${i % 5}`, i).paymentId).sort();
    expect([...seen].sort()).toEqual(inputs);
    expect((await admin.readTopic(output.name)).length).toBe(total);

    // outputs are buffered until every partition of the transaction processed its records, so
    // even a read_uncommitted reader finds nothing of the failed attempt in the log
    const everything = await admin.readTopic(output.name, { isolation: 'uncommitted' });
    expect(everything.length).toBe(total);
    expect(logger.lines.some((l) => l.includes('scorer crashed'))).toBe(true);
    expect(await admin.readTopic(`${input.name}.dlq`)).toEqual([]);
  });

  it('dead-letters invalid and poison inputs inside the transaction and commits past them', async () => {
    const raw = new Kafka({ brokers: kafkaBrokers, clientId: 'raw', logLevel: logLevel.NOTHING });
    const producer = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: mixed.name,
      messages: [
        { key: 'c', value: JSON.stringify(payment('c', 0)) }, // 0
        { key: 'c', value: 'not json' }, // 1: invalid
        { key: 'c', value: JSON.stringify(payment('c', 2)) }, // 2: poison
        { key: 'c', value: JSON.stringify(payment('c', 3)) }, // 3
      ],
    });
    await producer.disconnect();

    const groupId = `${mixed.name}-processor`;
    const forwarded = new Set<number>();
    const processor = await runTransactionalProcessor(kafka, {
      groupId,
      transactionalId: `${groupId}-0`,
      topic: mixed,
      fromBeginning: true,
      logger: recordingLogger(),
      retry: { maxRetries: 1, initialBackoffMs: 5, maxBackoffMs: 10 },
      process: async (payments) => {
        if (payments.some((p) => p.value.amount === 3)) throw new Error('cannot score amount 3');
        for (const p of payments) forwarded.add(p.value.amount);
      },
    });
    try {
      await expect
        .poll(async () => (await admin.committedOffsets(groupId, mixed.name)).get(0), { timeout: 30_000 })
        .toBe(4);
    } finally {
      await processor.stop();
    }
    expect([...forwarded].sort()).toEqual([1, 4]);
    const dead = await admin.readTopic(`${mixed.name}.dlq`);
    expect(
      dead.map((d) => [
        d.headers['x-dlq-source-offset'],
        d.headers['x-dlq-error-kind'],
        d.headers['x-dlq-reason'],
      ]),
    ).toEqual([
      ['1', 'invalid', expect.stringMatching(/^undecodable Payment: not JSON/)],
      ['2', 'unprocessable', 'cannot score amount 3'],
    ]);
  });

  it('starts again under the transactional id it used before (a restart takes over from itself)', async () => {
    const groupId = `${restart.name}-processor`;
    const start = () =>
      runTransactionalProcessor(kafka, {
        groupId,
        transactionalId: `${groupId}-instance-0`,
        topic: restart,
        fromBeginning: true,
        logger: recordingLogger(),
        process: async (payments, out) => {
          for (const p of payments) {
            out.send(restartOut, [
              {
                value: {
                  paymentId: p.value.paymentId,
                  cardId: p.value.cardId,
                  decision: 'approve',
                  score: 0,
                  reasons: [],
                  ruleIds: [],
                  modelVersion: 'test',
                  decidedAt: new Date().toISOString(),
                  paymentTs: p.value.ts,
                },
              },
            ]);
          }
        },
      });
    const producer = await createProducer(kafka);
    try {
      for (const round of [0, 1]) {
        const processor = await start();
        try {
          await producer.send(
            restart,
            Array.from({ length: 5 }, (_, i) => ({ value: payment('r', round * 5 + i) })),
          );
          await expect
            .poll(async () => (await admin.readTopic(restartOut.name)).length, { timeout: 30_000 })
            .toBe((round + 1) * 5);
        } finally {
          await processor.stop();
        }
      }
    } finally {
      await producer.disconnect();
    }
  });
});

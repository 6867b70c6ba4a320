/**
 * The kafkajs transactional producer after a failed abort: reopened for the next transaction
 * (kafkajs leaves a producer whose abort failed unusable), except when it was fenced by a newer
 * producer of the same transactional id, which must win.
 */
import { createKafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../src/index.ts';
import { createKafkajs } from '../src/kafkajs/client.ts';
import { connectKafkajsTransactional } from '../src/kafkajs/transactional-producer.ts';
import { recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe('connectKafkajsTransactional after a failed abort', () => {
  const topic = uniqueName('tx-abort');
  // the warn and info lines of the producer, as "<level> <message>"
  const lines: string[] = [];
  const logger = {
    ...recordingLogger(),
    warn: (message: string, fields?: Readonly<Record<string, unknown>>) =>
      void lines.push(`warn ${message} ${String(fields?.error)}`),
    info: (message: string) => void lines.push(`info ${message}`),
  };
  const kafkajs = createKafkajs({
    clientId: uniqueName('tx-abort-test'),
    brokers: kafkaBrokers,
    logger,
    logLevel: 'error',
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 10_000,
  });
  const settings = (transactionalId: string) => ({
    transactionalId,
    transactionTimeoutMs: 10_000,
    groupId: `${topic}-group`,
    topic,
    logger,
  });
  const records = (value: string) => [{ topic, messages: [{ value }] }];

  beforeAll(async () => {
    await ensureTopics(testKafka(kafkaBrokers), [{ topic, partitions: 1 }]);
  });
  afterAll(async () => {
    const admin = await createKafkaTestAdmin(kafkaBrokers);
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  });

  it('reopens the producer when an abort fails for another reason, and the next transaction commits', async () => {
    const producer = await connectKafkajsTransactional(kafkajs, settings(uniqueName('tx-reopen')));
    try {
      const first = await producer.begin();
      await first.send(records('one'));
      await first.commit();
      // an abort after the commit fails (kafkajs: the transaction has ended; after a broker restart
      // it was "not the correct coordinator"): logged, not thrown
      await first.abort();
      expect(lines.some((l) => l.startsWith('warn transaction abort failed'))).toBe(true);
      const next = await producer.begin();
      await next.send(records('two'));
      await next.commit();
      expect(lines).toContain('info transactional producer reopened after a failed abort');
    } finally {
      await producer.disconnect();
    }
  });

  it('a producer fenced by a newer one with its transactional id stays fenced (no reopening)', async () => {
    const id = uniqueName('tx-fenced');
    const zombie = await connectKafkajsTransactional(kafkajs, settings(id));
    const open = await zombie.begin();
    await open.send(records('zombie'));
    const successor = await connectKafkajsTransactional(kafkajs, settings(id));
    try {
      // its first transaction takes the id over (InitProducerId): the zombie's open one is aborted
      const tx = await successor.begin();
      await expect(open.commit()).rejects.toThrow(/old epoch/);
      const reopenedBefore = lines.filter((l) => l.includes('reopened')).length;
      await open.abort();
      // its next transaction fails, at begin or at the latest at the commit: it never wins the id back
      const again = async () => {
        const next = await zombie.begin();
        await next.send(records('zombie again'));
        await next.commit();
      };
      await expect(again()).rejects.toThrow();
      expect(lines.filter((l) => l.includes('reopened')).length).toBe(reopenedBefore);
      await tx.send(records('successor'));
      await tx.commit();
    } finally {
      await zombie.disconnect().catch(() => undefined);
      await successor.disconnect();
    }
  });
});

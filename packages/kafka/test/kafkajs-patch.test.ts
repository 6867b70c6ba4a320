// The behaviour infra/pnpm-patches/kafkajs@2.2.4.patch adds to kafkajs, on the real broker.

import { createRequire } from 'node:module';
import { createKafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';

const { kafkaBrokers } = inject('infrastructure');

describe('patched kafkajs', () => {
  const topic = uniqueName('kafkajs-patch');
  const groupId = uniqueName('kafkajs-patch-group');
  afterAll(async () => {
    const admin = await createKafkaTestAdmin(kafkaBrokers);
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  });

  it('finds the transaction and group coordinators once, not before every transactional request', async () => {
    const kafka = new Kafka({
      brokers: [...kafkaBrokers],
      clientId: 'kafkajs-patch',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({
      transactionalId: uniqueName('kafkajs-patch-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { initialRetryTime: 10, retries: 30 },
    });
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, ({ payload }) => requests.push(payload.apiName));
    await producer.connect();
    try {
      const transactions = 5;
      for (let i = 0; i < transactions; i++) {
        const tx = await producer.transaction();
        await tx.send({ topic, messages: [{ key: 'k', value: `v${i}` }] });
        await tx.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition: 0, offset: String(i + 1) }] }],
        });
        await tx.commit();
      }
      const count = (api: string) => requests.filter((r) => r === api).length;
      expect(count('EndTxn')).toBe(transactions);
      // upstream: 4 per transaction (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn)
      // plus InitProducerId's; remembered: the transaction coordinator and the group coordinator
      // (kafkajs names FindCoordinator 'GroupCoordinator')
      expect(count('GroupCoordinator')).toBeGreaterThanOrEqual(1);
      expect(count('GroupCoordinator')).toBeLessThanOrEqual(2);
    } finally {
      await producer.disconnect();
    }
  });

  it('groups a batch per partition in one pass, keeping the send order within each partition', () => {
    // an internal module of kafkajs: what the producer calls for every batch
    const group = createRequire(import.meta.url)(
      'kafkajs/src/producer/groupMessagesPerPartition.js',
    ) as (args: {
      topic: string;
      partitionMetadata: readonly unknown[];
      messages: readonly { value: number }[];
      partitioner: (args: { message: { value: number } }) => number;
    }) => Record<number, { value: number }[]>;
    const messages = Array.from({ length: 3000 }, (_, i) => ({ value: i }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }) => message.value % 3,
    });
    for (const p of [0, 1, 2]) {
      expect(grouped[p]?.map((m) => m.value)).toEqual(
        messages.filter((m) => m.value % 3 === p).map((m) => m.value),
      );
    }
  });
});

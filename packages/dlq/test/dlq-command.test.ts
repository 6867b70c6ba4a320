import { fileURLToPath } from 'node:url';
import {
  createKafka,
  createProducer,
  ensureTopics,
  PoisonError,
  runConsumer,
  type TypedProducer,
} from '@streamkit/kafka';
import { silentLogger } from '@streamkit/runtime';
import { defineTopic, type Payment, paymentValidator } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDlqCommand } from '../src/index.ts';

const { kafkaBrokers } = inject('infrastructure');
const appsRoot = fileURLToPath(new URL('./fixtures/apps/', import.meta.url));
const prefix = `${uniqueName('dlqcli')}.`;
const orders = defineTopic(`${prefix}shop.orders`, paymentValidator, (p) => p.cardId);
const kafka = createKafka({ brokers: kafkaBrokers, clientId: uniqueName('dlq-test'), logger: silentLogger });
let admin: KafkaTestAdmin;
let producer: TypedProducer;

/** Runs `pnpm dlq shop …` in-process against the fixture app; returns its exit code and output. */
async function dlq(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlqCommand([...args, '--apps-root', appsRoot], {
    env: { KAFKA_BROKERS: kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
    output: { out: (line) => out.push(line), err: (line) => err.push(line) },
  });
  return { code, out, err };
}

function order(i: number): Payment {
  return {
    paymentId: `order-${i}`,
    cardId: `card-${i}`,
    accountId: 'acct-1',
    merchantId: 'shop',
    mcc: '5411',
    amount: i,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  };
}

beforeAll(async () => {
  await ensureTopics(kafka, [{ topic: orders.name, withDlq: true, partitions: 2 }]);
  admin = await createKafkaTestAdmin(kafkaBrokers);
  producer = await createProducer(kafka);
  await producer.send(
    orders,
    [1, 2, 3, 4, 5, 6].map((i) => ({ value: order(i) })),
  );
  // a consumer dead-letters three of them: two marked poison, one that keeps failing
  const groupId = `${prefix}g`;
  const consumer = await runConsumer(kafka, {
    groupId,
    topic: orders,
    fromBeginning: true,
    logger: silentLogger,
    retry: { maxRetries: 1, initialBackoffMs: 5, maxBackoffMs: 10 },
    handleMessage: async ({ value }) => {
      if (value.amount === 2 || value.amount === 4)
        throw new PoisonError(`amount ${value.amount} is refused`);
      if (value.amount === 6) throw new Error('the tax table has no rate for DE');
    },
  });
  try {
    const consumed = async () =>
      [...(await admin.committedOffsets(groupId, orders.name)).values()].reduce(
        (a, b) => a + Math.max(0, b),
        0,
      ) === 6;
    await waitFor(consumed, { timeoutMs: 30_000, message: 'the consumer committed all 6 orders' });
  } finally {
    await consumer.stop();
  }
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics([orders.name, `${orders.name}.dlq`]);
  await admin?.disconnect();
});

describe('pnpm dlq <pipeline> list', () => {
  it('prints each dead letter (time, source, kind, key, reason) and the counts per reason', async () => {
    const { code, out } = await dlq('shop', 'list');
    expect(code).toBe(0);
    expect(out).toContain(
      `${prefix}shop.refunds.dlq: no such topic (nothing dead-lettered yet, or not created)`,
    );
    expect(out).toContain(`shop: dead letters in ${orders.name}.dlq`);
    const rows = out.filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.includes('card-2'))).toMatch(
      new RegExp(
        `${orders.name}\\s+${orders.name}\\.dlq\\[\\d\\]@\\d+\\s+poison\\s+card-2\\s+-\\s+amount 2 is refused$`,
      ),
    );
    expect(rows.find((r) => r.includes('card-6'))).toMatch(
      /unprocessable\s+card-6\s+-\s+the tax table has no rate for DE$/,
    );
    expect(out).toContain('3 dead letters (0 replayed), by reason:');
    expect(out).toContain('     1  amount 4 is refused');
  });

  it('selects by time and by topic, and names what is wrong with its arguments', async () => {
    expect((await dlq('shop', 'list', '--since', '1h')).out).toContain(
      '3 dead letters (0 replayed), by reason:',
    );
    expect((await dlq('shop', 'list', '--since', '2999-01-01')).out).toContain('no dead letters');
    expect((await dlq('shop', 'list', '--topic', 'shop.orders')).out).not.toContain(
      `${prefix}shop.refunds.dlq: no such topic (nothing dead-lettered yet, or not created)`,
    );
    const wrongTopic = await dlq('shop', 'list', '--topic', 'shop.nope');
    expect(wrongTopic.code).toBe(2);
    expect(wrongTopic.err.join('\n')).toMatch(
      /--topic shop\.nope is not a topic of shop; its topics: .*shop\.orders/,
    );
    const badSince = await dlq('shop', 'list', '--since', 'yesterday');
    expect(badSince.code).toBe(2);
    expect(badSince.err.join('\n')).toMatch(/^--since must be an ISO-8601 date\/time/);
    const unknown = await dlq('nope', 'list');
    expect(unknown).toMatchObject({ code: 2, err: ['unknown pipeline "nope"; pipelines: shop'] });
  });
});

describe('pnpm dlq <pipeline> replay', () => {
  it('re-produces the dead letters to their topic once, with a progress line; a dry run and a second replay change nothing', async () => {
    const before = await admin.readTopic(orders.name);

    const dry = await dlq('shop', 'replay', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(
      `${orders.name}.dlq: would replay 3 to ${orders.name} (3 selected, 0 replayed before, 0 without a source topic of shop)`,
    );
    expect(await admin.readTopic(orders.name)).toHaveLength(before.length);

    const replay = await dlq('shop', 'replay', '--topic', 'shop.orders');
    expect(replay.code).toBe(0);
    expect(replay.out).toEqual([
      `${orders.name}.dlq: replayed 3/3`,
      `${orders.name}.dlq: replayed 3 to ${orders.name} (3 selected, 0 replayed before, 0 without a source topic of shop)`,
    ]);
    // the commit returns once the coordinator decided; the markers that make the records readable
    // (read_committed) reach the partitions a moment later
    const replayed = async () =>
      (await admin.readTopic(orders.name)).filter((r) => r.headers['x-dlq-replay-of'] !== undefined);
    await expect.poll(async () => (await replayed()).map((r) => r.key).sort(), { timeout: 15_000 }).toEqual([
      'card-2',
      'card-4',
      'card-6',
    ]);
    const replays = await replayed();
    expect(replays.every((r) => r.headers['x-dlq-replay-of']?.startsWith(`${orders.name}.dlq:`))).toBe(true);

    const again = await dlq('shop', 'replay');
    expect(again.out).toContain(
      `${orders.name}.dlq: replayed 0 to - (3 selected, 3 replayed before, 0 without a source topic of shop)`,
    );
    expect(await admin.readTopic(orders.name)).toHaveLength(before.length + 3);
    const listed = await dlq('shop', 'list');
    expect(listed.out).toContain('3 dead letters (3 replayed), by reason:');
  });
});

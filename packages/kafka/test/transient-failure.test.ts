import { createServiceRegistry, runHealthChecks } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import {
  createKafkaTestAdmin,
  createTestDatabase,
  type KafkaTestAdmin,
  sampleValue,
  type TestDatabase,
} from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createProducer,
  ensureTopics,
  KafkaSettingsError,
  outageCheck,
  PoisonError,
  runConsumer,
  type TypedProducer,
} from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers, databaseUrl } = inject('infrastructure');

/**
 * A consumer whose handler writes to PostgreSQL while the database refuses connections
 * (ALLOW_CONNECTIONS false and its sessions terminated): the records wait, none is dead-lettered,
 * /health says why, and after the database is back each is written once.
 */
describe.each(clientKinds)('an outage of what the handler writes to (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const topic = freshPaymentsTopic(`outage-${client}`);
  let admin: KafkaTestAdmin;
  let producer: TypedProducer;
  let db: TestDatabase;
  let superuser: pg.Client;
  let pool: pg.Pool;

  async function refuseConnections(refuse: boolean): Promise<void> {
    await superuser.query(`alter database "${db.name}" allow_connections ${!refuse}`);
    if (refuse)
      await superuser.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
        db.name,
      ]);
  }

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topic.name, withDlq: true, partitions: 2 }]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
    producer = await createProducer(kafka);
    db = await createTestDatabase(databaseUrl, `outage-${client}`);
    superuser = new pg.Client({ connectionString: databaseUrl });
    await superuser.connect();
    pool = new pg.Pool({ connectionString: db.url, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined); // idle connections terminated by the test
    await pool.query('create table paid (payment_id text primary key, amount int not null)');
  });

  afterAll(async () => {
    await superuser?.query(`alter database "${db.name}" allow_connections true`).catch(() => undefined);
    await producer?.disconnect();
    await pool?.end();
    await superuser?.end();
    await db?.drop();
    await admin?.deleteTopics([topic.name, `${topic.name}.dlq`]);
    await admin?.disconnect();
  });

  it('waits with backoff, reports degraded, dead-letters nothing, and writes every record once after', async () => {
    const registry = createServiceRegistry('outage-test');
    const metrics = createPipelineMetrics(registry);
    const written = new Map<string, number>();
    const consumer = await runConsumer(kafka, {
      groupId: `${topic.name}-g`,
      topic,
      fromBeginning: true,
      metrics,
      logger: recordingLogger(),
      // bounded retries would have dead-lettered the lot within a second
      retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 20 },
      transientRetry: { initialBackoffMs: 50, maxBackoffMs: 400 },
      handleBatch: async (messages) => {
        for (const { value } of messages) {
          await pool.query('insert into paid values ($1, $2) on conflict do nothing', [
            value.paymentId,
            value.amount,
          ]);
          written.set(value.paymentId, (written.get(value.paymentId) ?? 0) + 1);
        }
      },
    });
    const health = () => runHealthChecks({ consumer: outageCheck(consumer) }, 1000);
    try {
      await refuseConnections(true);
      const payments = Array.from({ length: 20 }, (_, i) => payment(`card-${i % 4}`, i));
      await producer.send(
        topic,
        payments.map((value) => ({ value })),
      );

      await expect.poll(() => consumer.outage()?.reason, { timeout: 20_000 }).toMatch(/^postgres:/);
      const report = await health();
      expect(report.status).toBe('down'); // its only check fails; beside passing ones it is `degraded`
      expect(report.checks.consumer?.error).toMatch(
        /waiting on infrastructure since .*postgres:(55000|57P01)/,
      );
      const body = await registry.metrics();
      expect(
        sampleValue(body, 'streamkit_consumer_waiting_on_infrastructure_since_seconds', {
          topic: topic.name,
        }),
      ).toBeGreaterThan(Date.now() / 1000 - 60);
      await expect
        .poll(async () => {
          const text = await registry.metrics();
          return (
            (sampleValue(text, 'streamkit_consumer_transient_failures_total', {
              topic: topic.name,
              reason: 'postgres:55000',
            }) ?? 0) >= 3
          );
        })
        .toBe(true);

      await refuseConnections(false);
      await expect.poll(() => written.size, { timeout: 20_000 }).toBe(20);
      await expect.poll(() => consumer.outage(), { timeout: 5000 }).toBeUndefined();
      expect((await health()).status).toBe('ok');
      expect(
        sampleValue(await registry.metrics(), 'streamkit_consumer_waiting_on_infrastructure_since_seconds', {
          topic: topic.name,
        }),
      ).toBe(0);
    } finally {
      await refuseConnections(false);
      await consumer.stop();
    }
    expect([...written.values()].every((n) => n === 1)).toBe(true);
    const { rows } = await pool.query<{ n: string }>('select count(*) as n from paid');
    expect(Number(rows[0]?.n)).toBe(20);
    expect(await admin.readTopic(`${topic.name}.dlq`)).toEqual([]);
  });

  it('stops promptly while it waits, leaving the records for the next owner', async () => {
    const groupId = `${topic.name}-stop`;
    let attempts = 0;
    const consumer = await runConsumer(kafka, {
      groupId,
      topic,
      fromBeginning: true,
      logger: recordingLogger(),
      transientRetry: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
      handleBatch: async () => {
        attempts++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
    });
    await expect.poll(() => consumer.outage(), { timeout: 20_000 }).toBeDefined();
    const started = performance.now();
    await consumer.stop();
    expect(performance.now() - started).toBeLessThan(10_000); // the 30..60 s backoff was cut short
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(consumer.outage()).toBeUndefined();
    const committed = await admin.committedOffsets(groupId, topic.name);
    expect([...committed.values()].every((offset) => offset === -1)).toBe(true);
  });

  it('dead-letters a record the handler marks poison at once, as kind poison', async () => {
    const poisoned = freshPaymentsTopic(`marked-${client}`);
    await ensureTopics(kafka, [{ topic: poisoned.name, withDlq: true }]);
    try {
      await producer.send(
        poisoned,
        [0, 1, 2].map((i) => ({ value: payment('card-m', i) })),
      );
      const handled: number[] = [];
      const groupId = `${poisoned.name}-g`;
      const consumer = await runConsumer(kafka, {
        groupId,
        topic: poisoned,
        fromBeginning: true,
        logger: recordingLogger(),
        // a retry would take a minute: a marked record gets none
        retry: { maxRetries: 5, initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
        handleMessage: async ({ value }) => {
          if (value.amount === 2) throw new PoisonError(`merchant ${value.merchantId} is blocked`);
          handled.push(value.amount);
        },
      });
      try {
        await expect
          .poll(async () => (await admin.committedOffsets(groupId, poisoned.name)).get(0), {
            timeout: 30_000,
          })
          .toBe(3);
      } finally {
        await consumer.stop();
      }
      expect(new Set(handled)).toEqual(new Set([1, 3])); // runs are re-tried around the poison record
      const dead = await admin.readTopic(`${poisoned.name}.dlq`);
      expect(dead.map((d) => [d.headers['x-dlq-error-kind'], d.headers['x-dlq-reason']])).toEqual([
        ['poison', 'merchant m-1 is blocked'],
      ]);
    } finally {
      await admin.deleteTopics([poisoned.name, `${poisoned.name}.dlq`]);
    }
  });
});

describe('transientRetry settings', () => {
  it('are rejected at construction, naming the field', async () => {
    const kafka = testKafka(['127.0.0.1:1']);
    const failure = await runConsumer(kafka, {
      groupId: 'g',
      topic: freshPaymentsTopic(),
      transientRetry: { initialBackoffMs: 0, maxBackoffMs: 10 },
      handleBatch: async () => undefined,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KafkaSettingsError);
    expect((failure as Error).message).toMatch(
      /transientRetry\.initialBackoffMs must be a number >= 1, got 0/,
    );
  });
});

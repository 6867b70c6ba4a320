// Builds a real alert service (real Kafka, real Postgres in a fresh database) on topics of its own.
import {
  createAdmin,
  createKafka,
  createProducer,
  ensureTopics,
  type KafkaClient,
  type RunningConsumer,
  type TypedProducer,
} from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createServiceRegistry, postgresCheck, silentLogger } from '@streamkit/runtime';
import type { FraudAlert } from '@streamkit/schemas';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createTestDatabase, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import { startAlertConsumer } from '../../src/alerts/alert-consumer.ts';
import { type AlertFeed, createAlertFeed } from '../../src/alerts/alert-feed.ts';
import { createAlertSink } from '../../src/alerts/alert-sink.ts';
import { type AlertStore, createAlertStore } from '../../src/alerts/alert-store.ts';
import { type AlertsAppOptions, buildApp } from '../../src/alerts/app.ts';
import { type FraudTopics, fraudTopics } from '../../src/common/topics.ts';
import { migrate } from '../../src/db/migrate.ts';

export const alertsTestApiKey = 'test-alerts-key-0123456789';

export interface AlertsHarness {
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> of the listening app. */
  readonly baseUrl: string;
  readonly topics: FraudTopics;
  /** The alert consumer's group. */
  readonly groupId: string;
  readonly kafka: KafkaClient;
  readonly producer: TypedProducer;
  readonly database: TestDatabase;
  /** The test's own pool (the app closes its own). */
  readonly pool: pg.Pool;
  readonly store: AlertStore;
  readonly feed: AlertFeed;
  produce(alerts: readonly FraudAlert[]): Promise<void>;
  close(): Promise<void>;
}

export interface AlertsHarnessOptions {
  readonly webhookUrls?: readonly string[];
  readonly app?: AlertsAppOptions;
  readonly maxSubscribers?: number;
  /** Run on another harness's topics and database (that harness creates and drops them). */
  readonly shared?: { readonly topics: FraudTopics; readonly database: TestDatabase };
}

export async function startAlertsHarness(options: AlertsHarnessOptions = {}): Promise<AlertsHarness> {
  const infra = inject('infrastructure');
  const prefix = `${uniqueName('al')}.`;
  const topics = options.shared?.topics ?? fraudTopics(prefix);
  const database = options.shared?.database ?? (await createTestDatabase(infra.databaseUrl, 'fraud'));
  const pool = createPool(database.url, { max: 4 });
  await migrate(pool);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix, logger: silentLogger });
  await ensureTopics(kafka, [{ topic: topics.alerts.name, partitions: 3, withDlq: true }]);
  const producer = await createProducer(kafka, { lingerMs: 0 });

  const registry = createServiceRegistry('fraud-alerts-test', { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);
  const appPool = createPool(database.url, { max: 4 });
  const store = createAlertStore(appPool);
  const feed = await createAlertFeed({
    databaseUrl: database.url,
    store,
    maxSubscribers: options.maxSubscribers ?? 10,
    logger: silentLogger,
  });
  const app = await buildApp(
    {
      pool: appPool,
      store,
      feed,
      registry,
      apiKey: alertsTestApiKey,
      checks: { postgres: postgresCheck(appPool) },
    },
    options.app,
  );
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const groupId = `${prefix}alerts`;
  const consumer: RunningConsumer = await startAlertConsumer(kafka, {
    topic: topics.alerts,
    groupId,
    sink: createAlertSink({ pool: appPool, webhookUrls: options.webhookUrls ?? [] }),
    metrics,
    logger: silentLogger,
  });

  return {
    app,
    baseUrl,
    topics,
    groupId,
    kafka,
    producer,
    database,
    pool,
    store,
    feed,
    produce: (alerts) =>
      producer.send(
        topics.alerts,
        alerts.map((value) => ({ value })),
      ),
    async close() {
      await consumer.stop();
      await producer.disconnect();
      await app.close();
      await pool.end();
      if (options.shared === undefined) {
        await database.drop();
        const admin = await createAdmin(kafka);
        await admin.deleteTopics([topics.alerts.name, `${topics.alerts.name}.dlq`]).catch(() => undefined);
        await admin.disconnect();
      }
    },
  };
}

/** A valid alert; `i` makes ids, card and time distinct and deterministic. */
export function makeAlert(i: number, overrides: Partial<FraudAlert> = {}): FraudAlert {
  const createdAt = new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + i * 1000).toISOString();
  return {
    alertId: `alert-${i}`,
    paymentId: `pay-${i}`,
    cardId: `card-${i % 3}`,
    accountId: `acct-${i % 3}`,
    merchantId: `m-${i % 5}`,
    amount: 1000 + i * 137,
    currency: 'EUR',
    country: 'DE',
    decision: i % 2 === 0 ? 'decline' : 'review',
    score: 0.5 + (i % 5) / 10,
    reasons: [`velocity burst: ${i} payments in 1 min`],
    ruleIds: ['velocity-burst'],
    modelVersion: 'lr-test',
    paymentTs: createdAt,
    createdAt,
    ...overrides,
  };
}

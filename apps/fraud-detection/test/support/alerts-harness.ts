// Starts the real alert service (alertsService, as in production) on topics and a database of its own.

import type { EventStreams } from '@streamkit/http';
import { createKafka, createProducer, type KafkaClient, type TypedProducer } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { silentLogger, startService } from '@streamkit/runtime';
import type { FraudAlert } from '@streamkit/schemas';
import { createKafkaTestAdmin, createTestDatabase, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import type { AlertFeed } from '../../src/alerts/alert-feed.ts';
import type { AlertStore } from '../../src/alerts/alert-store.ts';
import { alertsService } from '../../src/alerts/service.ts';
import { type FraudTopics, fraudTopicNames, fraudTopics } from '../../src/common/topics.ts';
import { migrate } from '../../src/db/migrate.ts';
import { serviceEnv } from './service-env.ts';

export const alertsTestApiKey = 'test-alerts-key-0123456789';
/** What a program sends to read alerts (the console uses a page session instead). */
export const alertsReadHeaders = Object.freeze({ 'x-api-key': alertsTestApiKey });

export interface AlertsHarness {
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> of the listening service. */
  readonly baseUrl: string;
  readonly topics: FraudTopics;
  /** Pass with `database` as `shared` to start a second replica on the same topics and data. */
  readonly topicPrefix: string;
  /** The alert consumer's group. */
  readonly groupId: string;
  readonly kafka: KafkaClient;
  readonly producer: TypedProducer;
  readonly database: TestDatabase;
  /** The test's own pool (the service closes its own). */
  readonly pool: pg.Pool;
  readonly store: AlertStore;
  readonly feed: AlertFeed;
  /** The service's SSE streams (open clients). */
  readonly streams: EventStreams;
  produce(alerts: readonly FraudAlert[]): Promise<void>;
  /** POST /alerts/:alertId/ack with the API key, as an analyst's program does. */
  acknowledge(alertId: string, by: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface AlertsHarnessOptions {
  /** The service's environment variables (ALERTS_CONSOLE_OPEN, ALERT_WEBHOOK_URLS…). */
  readonly settings?: Record<string, string>;
  /** Run on another harness's topics and database (that harness creates and drops them). */
  readonly shared?: { readonly topicPrefix: string; readonly database: TestDatabase };
}

export async function startAlertsHarness(options: AlertsHarnessOptions = {}): Promise<AlertsHarness> {
  const infra = inject('infrastructure');
  const topicPrefix = options.shared?.topicPrefix ?? `${uniqueName('al')}.`;
  const topics = fraudTopics(topicPrefix);
  const database = options.shared?.database ?? (await createTestDatabase(infra.databaseUrl, 'fraud'));
  const pool = createPool(database.url, { max: 4 });
  await migrate(pool);
  const service = await startService(alertsService, {
    env: serviceEnv(
      { infra, topicPrefix, keyPrefix: topicPrefix, databaseUrl: database.url },
      { ALERTS_API_KEY: alertsTestApiKey, ...options.settings },
    ),
  });
  const { app, parts } = service;
  if (app === undefined || parts === undefined) throw new Error('the alerts service returned no app');
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: topicPrefix, logger: silentLogger });
  const producer = await createProducer(kafka, { lingerMs: 0 });

  return {
    app,
    baseUrl: service.address,
    topics,
    topicPrefix,
    groupId: `${topicPrefix}${service.config.groupId}`,
    kafka,
    producer,
    database,
    pool,
    store: parts.store,
    feed: parts.feed,
    streams: parts.streams,
    produce: (alerts) =>
      producer.send(
        topics.alerts,
        alerts.map((value) => ({ value })),
      ),
    acknowledge: (alertId, by) =>
      app.inject({
        method: 'POST',
        url: `/alerts/${alertId}/ack`,
        headers: { 'x-api-key': alertsTestApiKey },
        payload: { by },
      }),
    async close() {
      await service.stop();
      await producer.disconnect();
      await pool.end();
      if (options.shared === undefined) {
        await database.drop();
        const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
        await admin.deleteTopics(fraudTopicNames(topics, ['alerts'])).catch(() => undefined);
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

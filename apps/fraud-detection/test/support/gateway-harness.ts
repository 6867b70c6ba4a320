// Builds a real gateway (real Kafka, real Redis) on topics and keys of its own, for one test file.
import {
  createKafka,
  createProducer,
  type KafkaClient,
  type ProducerSettings,
  type TypedProducer,
} from '@streamkit/kafka';
import { createServiceRegistry, redisCheck, silentLogger } from '@streamkit/runtime';
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { type FraudRedisKeys, fraudRedisKeys } from '../../src/common/redis-keys.ts';
import { type FraudTopics, fraudTopics } from '../../src/common/topics.ts';
import { buildApp, type GatewayOptions } from '../../src/gateway/app.ts';
import { startDecisionFeed } from '../../src/gateway/decision-feed.ts';
import { createDecisionWaiters, type DecisionWaiters } from '../../src/gateway/decision-waiters.ts';
import { ensureGatewayTopics } from '../../src/gateway/topic-setup.ts';

export const testApiKey = 'test-gateway-key-0123456789';

export interface GatewayHarness {
  readonly app: FastifyInstance;
  readonly topics: FraudTopics;
  readonly keys: FraudRedisKeys;
  readonly kafka: KafkaClient;
  /** The test's own Redis connection (the app closes its own). */
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  readonly waiters: DecisionWaiters;
  /**
   * Plays the detector: stores the decision in Redis and produces it to the decisions topic
   * ('kafka-only' skips Redis, to prove a long-poll is woken by the topic).
   */
  decide(decision: PaymentDecision, where?: 'redis-and-kafka' | 'kafka-only'): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly producer?: ProducerSettings;
  readonly gateway?: Partial<GatewayOptions>;
  /** Without the decision feed (tests that only post). */
  readonly withDecisionFeed?: boolean;
}

/** A gateway wired to the given topics and keys, with its decision feed; `app.close()` releases it all. */
export async function createTestGateway(
  kafka: KafkaClient,
  redisUrl: string,
  topics: FraudTopics,
  keys: FraudRedisKeys,
  options: HarnessOptions = {},
): Promise<{ app: FastifyInstance; waiters: DecisionWaiters }> {
  const registry = createServiceRegistry('fraud-gateway-test', { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);
  const appRedis = new Redis(redisUrl);
  const producer = await createProducer(kafka, { metrics, ...options.producer });
  const waiters = createDecisionWaiters({ maxWaiters: 100 });
  const decisionFeed =
    options.withDecisionFeed === false
      ? undefined
      : await startDecisionFeed(kafka, {
          topic: topics.decisions,
          groupId: uniqueName('gateway-decisions'),
          waiters,
          metrics,
        });
  const app = await buildApp(
    {
      redis: appRedis,
      producer,
      topics,
      keys,
      waiters,
      decisionFeed,
      registry,
      metrics,
      checks: { redis: redisCheck(appRedis) },
    },
    { apiKey: testApiKey, ...options.gateway },
  );
  return { app, waiters };
}

export async function startGatewayHarness(options: HarnessOptions = {}): Promise<GatewayHarness> {
  const infra = inject('infrastructure');
  const prefix = `${uniqueName('gw')}.`;
  const topics = fraudTopics(prefix);
  const keys = fraudRedisKeys(prefix);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix, logger: silentLogger });
  await ensureGatewayTopics(kafka, topics, 3);
  const { app, waiters } = await createTestGateway(kafka, infra.redisUrl, topics, keys, options);
  const redis = new Redis(infra.redisUrl);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  let detector: TypedProducer | undefined;
  return {
    app,
    topics,
    keys,
    kafka,
    redis,
    admin,
    waiters,
    async decide(decision, where = 'redis-and-kafka') {
      detector ??= await createProducer(kafka, { lingerMs: 0 });
      if (where === 'redis-and-kafka') {
        await redis.set(keys.decision(decision.paymentId), JSON.stringify(decision), 'EX', 600);
      }
      await detector.send(topics.decisions, [{ value: decision }]);
    },
    async close() {
      await app.close();
      await detector?.disconnect();
      const leftovers = await redis.keys(`${prefix}*`);
      if (leftovers.length > 0) await redis.del(...leftovers);
      await redis.quit();
      await admin.deleteTopics([
        topics.payments.name,
        topics.decisions.name,
        `${topics.payments.name}.dlq`,
        `${topics.decisions.name}.dlq`,
      ]);
      await admin.disconnect();
    },
  };
}

let sequence = 0;

/** A valid payment with a fresh id; override any field. */
export function samplePayment(overrides: Partial<Payment> = {}): Payment {
  sequence++;
  return {
    paymentId: `pay-${process.pid}-${Date.now().toString(36)}-${sequence}`,
    cardId: `card-${sequence % 7}`,
    accountId: 'acct-1',
    merchantId: 'merchant-42',
    mcc: '5411',
    amount: 1250,
    currency: 'EUR',
    country: 'DE',
    ts: new Date().toISOString(),
    ...overrides,
  };
}

export function decisionFor(payment: Payment, overrides: Partial<PaymentDecision> = {}): PaymentDecision {
  return {
    paymentId: payment.paymentId,
    cardId: payment.cardId,
    decision: 'approve',
    score: 0.02,
    reasons: [],
    ruleIds: [],
    modelVersion: 'test-1',
    decidedAt: new Date().toISOString(),
    paymentTs: payment.ts,
    ...overrides,
  };
}

export function postPayment(
  app: FastifyInstance,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/payments',
    headers: { 'x-api-key': testApiKey, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

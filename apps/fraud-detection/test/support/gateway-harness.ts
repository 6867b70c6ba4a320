// Starts the real gateway (gatewayService, as in production) on topics and keys of its own, for one test file.
import { createKafka, type KafkaClient } from '@streamkit/kafka';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import type { Payment, PaymentDecision } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { decisionLine } from '../../src/common/decision-channel.ts';
import { type FraudRedisKeys, fraudRedisKeys } from '../../src/common/redis-keys.ts';
import { type FraudTopics, fraudTopicNames, fraudTopics } from '../../src/common/topics.ts';
import type { DecisionWaiters } from '../../src/gateway/decision-waiters.ts';
import { gatewayService, gatewayTopics } from '../../src/gateway/service.ts';
import { serviceEnv, type TestIsolation } from './service-env.ts';

export const testApiKey = 'test-gateway-key-0123456789';

type GatewayParts = {
  readonly topics: FraudTopics;
  readonly keys: FraudRedisKeys;
  readonly waiters: DecisionWaiters;
};

/** The running gateway service; `stop()` releases it all. */
export type TestGateway = RunningService<unknown, GatewayParts> & {
  readonly app: FastifyInstance;
  readonly parts: GatewayParts;
};

/**
 * The gateway service started on `where`'s topics and keys, listening on an ephemeral port.
 * `settings` are its environment variables (GATEWAY_PRODUCE_TIMEOUT_MS, GATEWAY_PRODUCER_LINGER_MS…).
 */
export async function startTestGateway(
  where: TestIsolation,
  settings: Record<string, string> = {},
): Promise<TestGateway> {
  const s = await startService(gatewayService, {
    env: serviceEnv(where, { GATEWAY_API_KEY: testApiKey, ...settings }),
  });
  const { app, parts } = s;
  if (app === undefined || parts === undefined) throw new Error('the gateway service returned no app');
  return Object.assign(s, { app, parts });
}

export interface GatewayHarness {
  readonly gateway: TestGateway;
  readonly app: FastifyInstance;
  readonly topics: FraudTopics;
  readonly keys: FraudRedisKeys;
  readonly kafka: KafkaClient;
  /** The test's own Redis connection (the gateway closes its own). */
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  readonly waiters: DecisionWaiters;
  /**
   * Plays the detector: stores the decision in Redis and announces it on the decisions channel
   * ('announce-only' skips storing it, to prove a long-poll is woken by the announcement).
   */
  decide(decision: PaymentDecision, where?: 'redis-and-announce' | 'announce-only'): Promise<void>;
  close(): Promise<void>;
}

/** A gateway of its own (topics, keys); `settings` as for startTestGateway. */
export async function startGatewayHarness(settings: Record<string, string> = {}): Promise<GatewayHarness> {
  const infra = inject('infrastructure');
  const prefix = `${uniqueName('gw')}.`;
  const topics = fraudTopics(prefix);
  const keys = fraudRedisKeys(prefix);
  const gateway = await startTestGateway({ infra, topicPrefix: prefix, keyPrefix: prefix }, settings);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix, logger: silentLogger });
  const redis = new Redis(infra.redisUrl);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  return {
    gateway,
    app: gateway.app,
    topics,
    keys,
    kafka,
    redis,
    admin,
    waiters: gateway.parts.waiters,
    async decide(decision, where = 'redis-and-announce') {
      const json = JSON.stringify(decision);
      if (where === 'redis-and-announce') await redis.set(keys.decision(decision.paymentId), json, 'EX', 600);
      // as the detector's state script announces it
      await redis.publish(keys.decisionsChannel(), decisionLine(decision.paymentId, json));
    },
    async close() {
      await gateway.stop();
      const leftovers = await redis.keys(`${prefix}*`);
      if (leftovers.length > 0) await redis.del(...leftovers);
      await redis.quit();
      await admin.deleteTopics(fraudTopicNames(topics, gatewayTopics)).catch(() => undefined);
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

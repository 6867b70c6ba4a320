import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createInFlightLimit } from '@streamkit/http';
import { KafkaBackpressureError, StreamkitKafkaError } from '@streamkit/kafka';
import { describeError } from '@streamkit/runtime';
import { Payment, type PaymentDecision } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import { type AcceptPaymentDeps, acceptPayment } from './accept-payment.ts';
import { readStoredDecision } from './decision-store.ts';
import type { DecisionWaiters } from './decision-waiters.ts';
import { ProduceTimeoutError, WaiterLimitError } from './errors.ts';
import {
  AcceptedBody,
  DecidedBody,
  ErrorBody,
  NotDecidedBody,
  PaymentParams,
  paymentQuery,
} from './http-schemas.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { withRequestSpan } from './request-span.ts';

export interface PaymentRoutesOptions {
  readonly accept: AcceptPaymentDeps;
  readonly idempotency: IdempotencyStore;
  readonly redis: Redis;
  readonly keys: FraudRedisKeys;
  readonly waiters: DecisionWaiters;
  readonly metrics: PipelineMetrics;
  readonly checkApiKey: (presented: string | string[] | undefined) => boolean;
  readonly maxInFlight: number;
  readonly maxWaitMs: number;
}

/** POST /payments and GET /payments/:paymentId, behind the API key. */
export const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesOptions> = async (app, options) => {
  const { accept, idempotency, redis, keys, waiters, metrics } = options;
  const topic = accept.topics.payments.name;
  const inFlight = createInFlightLimit(options.maxInFlight);

  app.addHook('onRequest', async (request, reply) => {
    if (!options.checkApiKey(request.headers['x-api-key'])) {
      return reply.code(401).send({ error: 'unauthorized', message: 'a valid x-api-key header is required' });
    }
  });
  app.addHook('onError', async (request, _reply, error) => {
    if ((error as { validation?: unknown }).validation !== undefined && request.method === 'POST') {
      metrics.eventsFailed.inc({ topic, reason: 'invalid' });
    }
  });

  app.post(
    '/payments',
    {
      onRequest: inFlight.onRequest,
      schema: {
        body: Payment,
        response: { 202: AcceptedBody, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const payment = request.body;
      const { paymentId } = payment;
      return withRequestSpan(request, 'gateway accept payment', { 'payment.id': paymentId }, async () => {
        try {
          const outcome = await acceptPayment(accept, payment);
          switch (outcome.kind) {
            case 'accepted':
              metrics.eventsIn.inc({ topic });
              return reply.code(202).send({ paymentId, status: 'accepted' as const });
            case 'duplicate':
              return reply.code(202).send({ paymentId, status: 'accepted' as const });
            case 'in-progress':
              return reply
                .code(409)
                .header('retry-after', '1')
                .send({
                  error: 'conflict',
                  message: `payment ${paymentId} is still being accepted by an earlier request; retry`,
                });
            case 'conflict':
              return reply.code(409).send({
                error: 'conflict',
                message: `paymentId ${paymentId} was already used for a payment with different content`,
              });
          }
        } catch (error) {
          const retryAfterMs = retryAfterOf(error);
          if (retryAfterMs === undefined) throw error;
          return unavailable(reply, retryAfterMs, describeError(error));
        }
      });
    },
  );

  app.get(
    '/payments/:paymentId',
    {
      schema: {
        params: PaymentParams,
        querystring: paymentQuery(options.maxWaitMs),
        response: { 200: DecidedBody, 400: ErrorBody, 401: ErrorBody, 404: NotDecidedBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { paymentId } = request.params;
      const waitMs = request.query.waitMs ?? 0;
      const decided = (decision: PaymentDecision) =>
        reply.code(200).send({ paymentId, status: 'decided' as const, decision });

      const stored = await readStoredDecision(redis, keys, paymentId);
      if (stored !== undefined) return decided(stored);
      const state = await idempotency.state(paymentId);
      if (state === 'unknown') return reply.code(404).send({ paymentId, status: 'unknown' as const });
      if (waitMs > 0) {
        let wait: ReturnType<DecisionWaiters['wait']>;
        try {
          wait = waiters.wait(paymentId, waitMs);
        } catch (error) {
          if (error instanceof WaiterLimitError) return unavailable(reply, 1000, error.message);
          throw error;
        }
        // the decision may have been stored between the first read and registering the waiter
        const raced = await readStoredDecision(redis, keys, paymentId).catch((error: unknown) => {
          wait.cancel();
          throw error;
        });
        if (raced !== undefined) {
          wait.cancel();
          return decided(raced);
        }
        const arrived = await wait.decision;
        if (arrived !== undefined) return decided(arrived);
      }
      return reply.code(404).send({ paymentId, status: 'pending' as const });
    },
  );
};

/** How long a client should wait before retrying, for errors that mean "not now" (else undefined). */
function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof KafkaBackpressureError || error instanceof ProduceTimeoutError)
    return error.retryAfterMs;
  if (error instanceof StreamkitKafkaError && error.retriable) return 1000;
  return undefined;
}

function unavailable(reply: FastifyReply, retryAfterMs: number, message: string) {
  return reply
    .code(503)
    .header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    .send({ error: 'unavailable', message });
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trace } from '@opentelemetry/api';
import { createInFlightLimit, ErrorBodySchema, HttpError, requireApiKey, sendError } from '@streamkit/http';
import { futureEventTime, Payment, type PaymentDecision } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { Redis } from 'ioredis';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import { type AcceptPaymentDeps, acceptPayment } from './accept-payment.ts';
import { readStoredDecision } from './decision-store.ts';
import type { DecisionWaiters, PendingWait } from './decision-waiters.ts';
import { WaiterLimitError } from './errors.ts';
import {
  AcceptedBody,
  DecidedBody,
  OutcomeUnknownBody,
  PaymentParams,
  PendingBody,
  paymentQuery,
} from './http-schemas.ts';
import type { IdempotencyStore } from './idempotency.ts';

export interface PaymentRoutesOptions {
  readonly accept: AcceptPaymentDeps;
  readonly idempotency: IdempotencyStore;
  readonly redis: Redis;
  readonly keys: FraudRedisKeys;
  readonly waiters: DecisionWaiters;
  readonly metrics: PipelineMetrics;
  /** GATEWAY_API_KEY: every route here needs it in x-api-key. */
  readonly apiKey: string;
  readonly maxInFlight: number;
  readonly maxWaitMs: number;
  /** A payment dated further ahead of this clock is refused: it would blind its card's velocity windows. */
  readonly maxFutureSkewMs: number;
}

/**
 * POST /payments and GET /payments/:paymentId, behind the API key. Errors leave in the common body
 * of @streamkit/http; a Kafka that is slow or full (a retriable error) is 503 + Retry-After there.
 */
export const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesOptions> = async (app, options) => {
  const { accept, idempotency, redis, keys, waiters, metrics } = options;
  const topic = accept.topics.payments.name;
  const inFlight = createInFlightLimit(options.maxInFlight);

  app.addHook('onRequest', requireApiKey(options.apiKey));
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
        querystring: paymentQuery(options.maxWaitMs),
        response: {
          200: DecidedBody,
          202: AcceptedBody,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          409: ErrorBodySchema,
          503: OutcomeUnknownBody,
        },
      },
    },
    async (request, reply) => {
      const payment = request.body;
      const { paymentId } = payment;
      const future = futureEventTime('ts', payment.ts, Date.now(), options.maxFutureSkewMs);
      if (future !== undefined) {
        metrics.eventsFailed.inc({ topic, reason: 'invalid' });
        return sendError(reply, 400, { message: 'invalid request body', fields: [future] });
      }
      // on the request's span (the http/fastify instrumentations'), to find a payment's trace
      trace.getActiveSpan()?.setAttribute('payment.id', paymentId);
      // registered before the payment is produced, so its announcement cannot pass unheard
      const wait = waitBeside(waiters, paymentId, request.query.waitMs ?? 0);
      const answer = async () => {
        const decision = await wait?.decision;
        if (decision !== undefined)
          return reply.code(200).send({ paymentId, status: 'decided' as const, decision });
        return reply.code(202).send({ paymentId, status: 'accepted' as const });
      };
      let outcome: Awaited<ReturnType<typeof acceptPayment>>;
      try {
        outcome = await acceptPayment(accept, payment);
        if (outcome.kind === 'duplicate' && wait !== undefined) {
          const stored = await readStoredDecision(redis, keys, paymentId);
          if (stored !== undefined) {
            wait.cancel();
            return reply.code(200).send({ paymentId, status: 'decided' as const, decision: stored });
          }
        }
      } catch (error) {
        wait?.cancel();
        throw error;
      }
      switch (outcome.kind) {
        case 'accepted':
          metrics.eventsIn.inc({ topic });
          return answer();
        case 'duplicate':
          return answer();
        case 'in-progress':
          wait?.cancel();
          return sendError(reply, 409, {
            message: `payment ${paymentId} is still being accepted by an earlier request; retry`,
            retryAfterS: 1,
          });
        case 'conflict':
          wait?.cancel();
          return sendError(
            reply,
            409,
            `paymentId ${paymentId} was already used for a payment with different content`,
          );
      }
    },
  );

  app.get(
    '/payments/:paymentId',
    {
      schema: {
        params: PaymentParams,
        querystring: paymentQuery(options.maxWaitMs),
        response: {
          200: DecidedBody,
          202: PendingBody,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
          503: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { paymentId } = request.params;
      const waitMs = request.query.waitMs ?? 0;
      const decided = (decision: PaymentDecision) =>
        reply.code(200).send({ paymentId, status: 'decided' as const, decision });

      const stored = await readStoredDecision(redis, keys, paymentId);
      if (stored !== undefined) return decided(stored);
      if ((await idempotency.state(paymentId)) === 'unknown') {
        throw new HttpError(404, `no payment ${paymentId} was accepted here`);
      }
      if (waitMs > 0) {
        // beyond GATEWAY_MAX_WAITERS this throws WaiterLimitError, retriable: 503 + Retry-After
        const wait = waiters.wait(paymentId, waitMs);
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
      // accepted, not decided yet: 202 like the POST, so every 4xx keeps the common error body
      return reply.code(202).send({ paymentId, status: 'pending' as const });
    },
  );
};

/**
 * A POST's wait for its decision, or none: no wait asked, or every waiter slot taken — then the
 * payment is still accepted and answered 202, and the client long-polls GET like any other.
 */
function waitBeside(waiters: DecisionWaiters, paymentId: string, waitMs: number): PendingWait | undefined {
  if (waitMs <= 0) return undefined;
  try {
    return waiters.wait(paymentId, waitMs);
  } catch (error) {
    if (error instanceof WaiterLimitError) return undefined;
    throw error;
  }
}

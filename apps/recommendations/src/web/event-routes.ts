import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trace } from '@opentelemetry/api';
import { type AddressRateLimit, createInFlightLimit, ErrorBodySchema, sendError } from '@streamkit/http';
import type { PipelineMetrics } from '@streamkit/telemetry';
import { parseEventBatch } from './event-batch.ts';
import { AcceptedEventsBody, SessionBody, SessionRequest } from './http-schemas.ts';
import type { KnownProducts } from './known-products.ts';
import { type ProduceEventsDeps, produceEvents } from './produce-events.ts';
import type { SessionRateLimit } from './session-rate-limit.ts';
import type { SessionTokens } from './session-token.ts';

export interface EventRoutesOptions {
  readonly produce: ProduceEventsDeps;
  readonly sessions: SessionTokens;
  readonly rateLimit: SessionRateLimit;
  /** POST /sessions per client address per minute: anyone may ask, nobody may fill the limits for all. */
  readonly sessionIssuance: AddressRateLimit;
  /** Events for products not in the catalog are refused (400), so they create no state downstream. */
  readonly products: KnownProducts;
  readonly metrics: PipelineMetrics;
  /** True when `x-api-key` is the trusted senders' key (then the session rules do not apply). */
  readonly isTrustedSender: (presented: string | string[] | undefined) => boolean;
  readonly maxBatchSize: number;
  readonly maxInFlight: number;
  /** An event dated further ahead of this clock is refused: it would move the popularity watermark. */
  readonly maxFutureSkewMs: number;
}

/**
 * POST /sessions (a signed session token for a shopper) and POST /events (one event or a batch →
 * ecommerce.events keyed by userId → 202). Errors leave in the common body of @streamkit/http; a
 * Kafka that is slow or full (a retriable error) is 503 + Retry-After there.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { produce, sessions, rateLimit, metrics } = options;
  const topic = produce.topics.events.name;
  const inFlight = createInFlightLimit(options.maxInFlight);

  app.post(
    '/sessions',
    {
      schema: {
        body: SessionRequest,
        response: { 201: SessionBody, 400: ErrorBodySchema, 429: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      const allowed = options.sessionIssuance.take(request.ip);
      if (!allowed.ok) {
        return sendError(reply, 429, {
          message: `too many sessions from ${request.ip}; wait`,
          retryAfterS: allowed.retryAfterS,
        });
      }
      const { claims, token } = sessions.issue(request.body.userId);
      return reply.code(201).send({
        userId: claims.userId,
        sessionId: claims.sessionId,
        token,
        expiresAt: new Date(claims.expiresAtS * 1000).toISOString(),
      });
    },
  );

  app.post(
    '/events',
    {
      onRequest: inFlight.onRequest,
      schema: {
        response: {
          202: AcceptedEventsBody,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          403: ErrorBodySchema,
          429: ErrorBodySchema,
          503: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const trusted = options.isTrustedSender(request.headers['x-api-key']);
      const claims = trusted ? undefined : sessions.verify(request.headers['x-session-token']);
      if (!trusted && claims === undefined) {
        return sendError(
          reply,
          401,
          'send x-session-token from POST /sessions (or x-api-key for trusted senders)',
        );
      }
      const batch = parseEventBatch(request.body, options.maxBatchSize, {
        maxFutureSkewMs: options.maxFutureSkewMs,
      });
      if (!batch.ok) {
        metrics.eventsFailed.inc({ topic, reason: 'invalid' });
        return sendError(reply, 400, { message: 'invalid request body', fields: batch.fields });
      }
      const { events } = batch;
      const unknown = await options.products.unknownOf(events.map((e) => e.productId));
      if (unknown.size > 0) {
        metrics.eventsFailed.inc({ topic, reason: 'invalid' });
        const single = !Array.isArray(request.body);
        const fields = events.flatMap((e, i) =>
          unknown.has(e.productId)
            ? [
                {
                  field: single ? 'productId' : `${i}/productId`,
                  message: `${e.productId} is not in the catalog`,
                },
              ]
            : [],
        );
        return sendError(reply, 400, { message: 'invalid request body', fields });
      }
      if (claims !== undefined) {
        const foreign = events.findIndex(
          (e) => e.userId !== claims.userId || e.sessionId !== claims.sessionId,
        );
        if (foreign >= 0) {
          metrics.eventsFailed.inc({ topic, reason: 'forbidden' });
          return sendError(reply, 403, `event ${foreign} is not of this session's user and session`);
        }
        const allowed = rateLimit.take(claims.sessionId, events.length);
        if (!allowed.ok) {
          metrics.eventsFailed.inc({ topic, reason: 'rate-limited' });
          return sendError(reply, 429, {
            message: 'this session posts too many events',
            retryAfterS: allowed.retryAfterS,
          });
        }
      }
      // on the request's span (the http/fastify instrumentations'), whose trace the events carry on
      trace.getActiveSpan()?.setAttribute('events.count', events.length);
      await produceEvents(produce, events);
      metrics.eventsIn.inc({ topic }, events.length);
      return reply.code(202).send({ accepted: events.length });
    },
  );
};

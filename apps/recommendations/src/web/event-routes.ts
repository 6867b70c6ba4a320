import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createInFlightLimit } from '@streamkit/http';
import { KafkaBackpressureError, StreamkitKafkaError } from '@streamkit/kafka';
import type { UserEvent } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { FastifyReply } from 'fastify';
import { ProduceTimeoutError } from './errors.ts';
import { parseEventBatch } from './event-batch.ts';
import { AcceptedEventsBody, ErrorBody, SessionBody, SessionRequest } from './http-schemas.ts';
import { type ProduceEventsDeps, produceEvents } from './produce-events.ts';
import { withRequestSpan } from './request-span.ts';
import type { SessionRateLimit } from './session-rate-limit.ts';
import type { SessionTokens } from './session-token.ts';

export interface EventRoutesOptions {
  readonly produce: ProduceEventsDeps;
  readonly sessions: SessionTokens;
  readonly rateLimit: SessionRateLimit;
  readonly metrics: PipelineMetrics;
  /** True when `x-api-key` is the trusted senders' key (then the session rules do not apply). */
  readonly isTrustedSender: (presented: string | string[] | undefined) => boolean;
  readonly maxBatchSize: number;
  readonly maxInFlight: number;
}

/**
 * POST /sessions (a signed session token for a shopper) and POST /events (one event or a batch →
 * ecommerce.events keyed by userId → 202).
 */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { produce, sessions, rateLimit, metrics } = options;
  const topic = produce.topics.events.name;
  const inFlight = createInFlightLimit(options.maxInFlight);

  app.post(
    '/sessions',
    { schema: { body: SessionRequest, response: { 201: SessionBody, 400: ErrorBody } } },
    async (request, reply) => {
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
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const trusted = options.isTrustedSender(request.headers['x-api-key']);
      const claims = trusted ? undefined : sessions.verify(request.headers['x-session-token']);
      if (!trusted && claims === undefined) {
        return reply.code(401).send({
          error: 'unauthorized',
          message: 'send x-session-token from POST /sessions (or x-api-key for trusted senders)',
        });
      }
      const batch = parseEventBatch(request.body, options.maxBatchSize);
      if (!batch.ok) {
        metrics.eventsFailed.inc({ topic, reason: 'invalid' });
        return reply.code(400).send({ error: 'invalid request', fields: [...batch.fields] });
      }
      const { events } = batch;
      if (claims !== undefined) {
        const foreign = events.findIndex(
          (e) => e.userId !== claims.userId || e.sessionId !== claims.sessionId,
        );
        if (foreign >= 0) {
          metrics.eventsFailed.inc({ topic, reason: 'forbidden' });
          return reply.code(403).send({
            error: 'forbidden',
            message: `event ${foreign} is not of this session's user and session`,
          });
        }
        const allowed = rateLimit.take(claims.sessionId, events.length);
        if (!allowed.ok) {
          metrics.eventsFailed.inc({ topic, reason: 'rate-limited' });
          return reply
            .code(429)
            .header('retry-after', String(allowed.retryAfterS))
            .send({ error: 'too many requests', message: 'this session posts too many events' });
        }
      }
      return withRequestSpan(request, 'web accept events', { 'events.count': String(events.length) }, () =>
        accept(events, reply),
      );
    },
  );

  async function accept(events: readonly UserEvent[], reply: FastifyReply) {
    try {
      await produceEvents(produce, events);
    } catch (error) {
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs === undefined) throw error;
      return reply
        .code(503)
        .header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
        .send({ error: 'unavailable', message: (error as Error).message });
    }
    metrics.eventsIn.inc({ topic }, events.length);
    return reply.code(202).send({ accepted: events.length });
  }
};

/** How long a client should wait before retrying, for errors that mean "not now" (else undefined). */
function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof KafkaBackpressureError || error instanceof ProduceTimeoutError)
    return error.retryAfterMs;
  if (error instanceof StreamkitKafkaError && error.retriable) return 1000;
  return undefined;
}

import { createHttpApp, type HttpApp } from '@streamkit/http';
import type { TypedProducer } from '@streamkit/kafka';
import type { HealthCheck } from '@streamkit/runtime';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import type { FraudTopics } from '../common/topics.ts';
import type { DecisionWaiters } from './decision-waiters.ts';
import { createIdempotencyStore } from './idempotency.ts';
import { paymentRoutes } from './payment-routes.ts';
import { type GatewaySettings, resolveGatewaySettings } from './settings.ts';

/** What the gateway runs on; the service acquired them and releases them after the app closed. */
export interface GatewayDeps {
  readonly redis: Redis;
  readonly producer: TypedProducer;
  readonly topics: FraudTopics;
  readonly keys: FraudRedisKeys;
  /** Long-polling waiters, woken by the detector's announcements (decision-subscriber.ts). */
  readonly waiters: DecisionWaiters;
  readonly registry: Registry;
  readonly metrics: PipelineMetrics;
  /** Dependency probes for /health, e.g. { kafka, redis }. */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** fastify's logger option (default off). */
  readonly logger?: FastifyServerOptions['logger'];
}

export type GatewayOptions = Partial<GatewaySettings> & Pick<GatewaySettings, 'apiKey'>;

/**
 * The payment gateway as a fastify instance (not listening): POST /payments, GET
 * /payments/:paymentId, /metrics, /health. Tests call `inject()` or `listen({ port: 0 })`.
 */
export async function buildApp(deps: GatewayDeps, options: GatewayOptions): Promise<HttpApp> {
  const settings = resolveGatewaySettings(options);
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: settings.bodyLimitBytes,
    logger: deps.logger ?? false,
    // long-polls may last up to maxWaitMs; keep-alive clients (the load generator) reuse sockets
    requestTimeout: settings.maxWaitMs + 10_000,
    keepAliveTimeout: 65_000,
  });
  // wake long-polls (they answer "pending") before fastify waits for open requests
  app.addHook('preClose', async () => deps.waiters.close());

  const idempotency = createIdempotencyStore(deps.redis, deps.keys, {
    acceptedTtlS: settings.idempotencyTtlS,
    // a claim outlives the produce timeout, so a slow produce still settles it before it expires
    claimTtlS: Math.ceil(settings.produceTimeoutMs / 1000) * 4 + 30,
  });
  await app.register(paymentRoutes, {
    accept: {
      producer: deps.producer,
      topics: deps.topics,
      idempotency,
      produceTimeoutMs: settings.produceTimeoutMs,
      onBackgroundError: (error) => app.log.warn({ err: error }, 'a timed-out produce failed later'),
    },
    idempotency,
    redis: deps.redis,
    keys: deps.keys,
    waiters: deps.waiters,
    metrics: deps.metrics,
    apiKey: settings.apiKey,
    maxInFlight: settings.maxInFlight,
    maxWaitMs: settings.maxWaitMs,
    maxFutureSkewMs: settings.maxFutureSkewMs,
  });
  return app;
}

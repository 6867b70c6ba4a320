import { createAddressRateLimit, createApiKeyCheck, createHttpApp, type HttpApp } from '@streamkit/http';
import type { TypedProducer } from '@streamkit/kafka';
import type { HealthCheck } from '@streamkit/runtime';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import type { RecsTopics } from '../common/topics.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { createKnownProducts } from './known-products.ts';
import { createRecommendationReader } from './recommendation-reader.ts';
import { recommendationRoutes } from './recommendation-routes.ts';
import { createSessionRateLimit } from './session-rate-limit.ts';
import { createSessionTokens } from './session-token.ts';
import { resolveWebSettings, type WebOptions } from './settings.ts';
import { registerStorefront } from './storefront-routes.ts';

/** What the web service runs on; whoever built them releases them (the service, after app.close()). */
export interface WebDeps {
  readonly redis: Redis;
  readonly pool: Pool;
  readonly producer: TypedProducer;
  readonly topics: RecsTopics;
  readonly keys: RecsRedisKeys;
  readonly registry: Registry;
  readonly metrics: PipelineMetrics;
  /** Dependency probes for /health, e.g. { kafka, redis, postgres }. */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** fastify's logger option (default off). */
  readonly logger?: FastifyServerOptions['logger'];
}

/**
 * The storefront service as a fastify instance (not listening): the page, POST /sessions, POST
 * /events, GET /recommendations/:userId, /trending, the catalog, /metrics, /health. Tests call
 * `inject()` or `listen({ port: 0 })`.
 */
export async function buildApp(deps: WebDeps, options: WebOptions): Promise<HttpApp> {
  const settings = resolveWebSettings(options);
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: settings.bodyLimitBytes,
    logger: deps.logger ?? false,
    keepAliveTimeout: 65_000,
  });

  await app.register(eventRoutes, {
    produce: {
      producer: deps.producer,
      topics: deps.topics,
      produceTimeoutMs: settings.produceTimeoutMs,
      onBackgroundError: (error) => app.log.warn({ err: error }, 'a timed-out produce failed later'),
    },
    sessions: createSessionTokens(settings.sessionSecret, settings.sessionTtlS),
    rateLimit: createSessionRateLimit(settings.sessionEventsPerMinute),
    sessionIssuance: createAddressRateLimit(settings.sessionsPerAddressPerMinute),
    products: createKnownProducts(deps.pool),
    metrics: deps.metrics,
    // without WEB_EVENTS_API_KEY every sender is a storefront session
    isTrustedSender:
      settings.eventsApiKey === undefined ? () => false : createApiKeyCheck(settings.eventsApiKey),
    maxBatchSize: settings.maxBatchSize,
    maxInFlight: settings.maxInFlight,
    maxFutureSkewMs: settings.maxFutureSkewMs,
  });
  await app.register(recommendationRoutes, {
    reader: createRecommendationReader(deps.redis, deps.keys),
    defaultLimit: settings.defaultLimit,
    maxLimit: settings.maxLimit,
  });
  await app.register(catalogRoutes, {
    pool: deps.pool,
    redis: deps.redis,
    keys: deps.keys,
    maxLimit: settings.maxLimit,
  });
  await registerStorefront(app);
  return app;
}

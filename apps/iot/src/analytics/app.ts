import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { type HealthCheck, observability } from '@streamkit/runtime';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { LakeDatabase, QueryLimits } from './lake-database.ts';
import { createLakeQueries } from './lake-queries.ts';
import type { LiveFeed } from './live-feed.ts';
import type { LiveStore } from './live-store.ts';
import { registerRoutes } from './routes.ts';
import { registerDashboard } from './static-routes.ts';
import { registerStream } from './stream-route.ts';

export interface AnalyticsAppDeps {
  readonly db: LakeDatabase;
  readonly live: LiveStore;
  readonly feed: LiveFeed;
  readonly registry: Registry;
  readonly checks: Readonly<Record<string, HealthCheck>>;
  readonly limits: QueryLimits;
}

/** The analytics service's HTTP app: lake API, SQL endpoint, live stream, dashboard page. */
export async function buildApp(
  deps: AnalyticsAppDeps,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) {
      const fields = error.validation.map((v) => ({
        field:
          (v.instancePath ?? '').replace(/^\//, '') ||
          String((v.params as { missingProperty?: string })?.missingProperty ?? '(root)'),
        message: v.message ?? 'is invalid',
      }));
      return reply.code(400).send({ error: 'invalid request', fields });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  await app.register(observability, { registry: deps.registry, checks: deps.checks });
  registerRoutes(app, {
    db: deps.db,
    queries: createLakeQueries(deps.db),
    live: deps.live,
    limits: deps.limits,
  });
  registerStream(app, deps.feed);
  await registerDashboard(app);
  return app;
}

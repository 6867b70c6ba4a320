import { createHttpApp, type HttpApp, usePageSessions } from '@streamkit/http';
import type { HealthCheck } from '@streamkit/runtime';
import type { FastifyServerOptions } from 'fastify';
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
  /** ANALYTICS_API_KEY: every /api route but SQL takes it, or a session of the dashboard page. */
  readonly apiKey: string;
  readonly sessionsPerAddressPerMinute?: number;
  readonly queryTimeoutMs: number;
  /** ANALYTICS_SQL_KEY: POST /api/sql takes only this key (arbitrary read-only SQL is more than the page may do). */
  readonly sqlKey: string | undefined;
}

/** The analytics service's HTTP app: lake API, SQL endpoint, live stream, dashboard page. */
export async function buildApp(
  deps: AnalyticsAppDeps,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<HttpApp> {
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: 64 * 1024,
    logger: options.logger ?? false,
  });
  // one hook for every /api route (lake, live, stream): the key, or the page's own session; the SQL
  // endpoint checks its own key instead (routes.ts)
  usePageSessions(app, {
    apiKey: deps.apiKey,
    perAddressPerMinute: deps.sessionsPerAddressPerMinute,
    guards: (url) => url.startsWith('/api/') && url !== '/api/sql',
  });
  registerRoutes(app, {
    db: deps.db,
    queries: createLakeQueries(deps.db),
    live: deps.live,
    limits: deps.limits,
    queryTimeoutMs: deps.queryTimeoutMs,
    sqlKey: deps.sqlKey,
  });
  registerStream(app, { feed: deps.feed, live: deps.live });
  await registerDashboard(app);
  return app;
}

import { createHttpApp, type HttpApp, usePageSessions } from '@streamkit/http';
import type { HealthCheck } from '@streamkit/runtime';
import type { FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { registerPage } from './page-routes.ts';
import { registerViewsStream, type StreamSettings } from './stream-route.ts';
import type { ViewReader } from './view-reader.ts';
import { viewRoutes } from './view-routes.ts';
import type { ViewsBroadcast } from './views-broadcast.ts';

export interface DashboardAppDeps {
  readonly reader: ViewReader;
  readonly broadcast: ViewsBroadcast;
  readonly registry: Registry;
  /** /health checks by dependency name. */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** DASHBOARD_API_KEY: every /api route takes it, or a session of the page. */
  readonly apiKey: string;
}

export interface DashboardAppOptions {
  readonly stream?: Partial<StreamSettings>;
  readonly logger?: FastifyServerOptions['logger'];
  readonly sessionsPerAddressPerMinute?: number;
}

export const defaultStreamSettings: StreamSettings = Object.freeze({
  heartbeatMs: 15_000,
  maxClients: 200,
});

/** The dashboard's HTTP app: the views API, the SSE stream, the page, /metrics and /health. */
export async function buildApp(deps: DashboardAppDeps, options: DashboardAppOptions = {}): Promise<HttpApp> {
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: 16 * 1024,
    logger: options.logger ?? false,
  });
  // one hook for every /api route (views, stream): the key, or the page's own session
  usePageSessions(app, {
    apiKey: deps.apiKey,
    perAddressPerMinute: options.sessionsPerAddressPerMinute,
    guards: (url) => url.startsWith('/api/'),
  });
  await app.register(viewRoutes, { reader: deps.reader });
  registerViewsStream(app, {
    broadcast: deps.broadcast,
    settings: { ...defaultStreamSettings, ...options.stream },
  });
  await registerPage(app);
  return app;
}

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { type HealthCheck, observability } from '@streamkit/runtime';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { installErrorHandler } from './error-handler.ts';
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
}

export interface DashboardAppOptions {
  readonly stream?: Partial<StreamSettings>;
  readonly logger?: FastifyServerOptions['logger'];
}

export const defaultStreamSettings: StreamSettings = Object.freeze({
  heartbeatMs: 15_000,
  maxSubscribers: 200,
  maxBufferedBytes: 1024 * 1024,
});

/** The dashboard's HTTP app: the views API, the SSE stream, the page, /metrics and /health. */
export async function buildApp(
  deps: DashboardAppDeps,
  options: DashboardAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024,
    // SSE connections are long-lived: close idle keep-alive sockets at once on shutdown
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandler(app);
  await app.register(observability, { registry: deps.registry, checks: deps.checks });
  await app.register(viewRoutes, { reader: deps.reader });
  registerViewsStream(app, {
    broadcast: deps.broadcast,
    settings: { ...defaultStreamSettings, ...options.stream },
  });
  await registerPage(app);
  return app;
}

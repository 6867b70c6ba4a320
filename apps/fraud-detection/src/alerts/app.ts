import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { type HealthCheck, observability } from '@streamkit/runtime';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { AlertFeed } from './alert-feed.ts';
import { alertRoutes } from './alert-routes.ts';
import type { AlertStore } from './alert-store.ts';
import { type AlertStreamSettings, registerAlertStream } from './alert-stream.ts';
import { registerConsole } from './console-routes.ts';
import { installErrorHandler } from './error-handler.ts';
import { alertsPostgres } from './postgres-plugin.ts';

export interface AlertsAppDeps {
  readonly pool: Pool;
  readonly store: AlertStore;
  readonly feed: AlertFeed;
  readonly registry: Registry;
  /** /health checks by dependency name (kafka, postgres). */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** ALERTS_API_KEY: required by the mutating endpoints. */
  readonly apiKey: string;
}

export interface AlertsAppOptions {
  readonly stream?: Partial<AlertStreamSettings>;
  /** Demo only (ALERTS_CONSOLE_OPEN=true): the console page carries the API key. */
  readonly consoleOpen?: boolean;
  readonly consoleDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
}

export const defaultStreamSettings: AlertStreamSettings = Object.freeze({
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
});

/**
 * The alert service's HTTP app. It owns `pool` and `feed` (closed by app.close()); the Kafka
 * consumer and the webhook worker are started beside it by main.ts.
 */
export async function buildApp(
  deps: AlertsAppDeps,
  options: AlertsAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024,
    // SSE connections are long-lived: close idle keep-alive sockets at once on shutdown
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandler(app);

  await app.register(alertsPostgres, { pool: deps.pool, feed: deps.feed });
  await app.register(observability, { registry: deps.registry, checks: deps.checks });
  await app.register(alertRoutes, { store: deps.store, apiKey: deps.apiKey });
  registerAlertStream(app, {
    feed: deps.feed,
    store: deps.store,
    settings: { ...defaultStreamSettings, ...options.stream },
  });
  await registerConsole(app, {
    embeddedApiKey: options.consoleOpen === true ? deps.apiKey : undefined,
    dir: options.consoleDir,
  });
  return app;
}

import { createHttpApp, type EventStreams, type HttpApp, usePageSessions } from '@streamkit/http';
import type { HealthCheck } from '@streamkit/runtime';
import type { FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { AlertFeed } from './alert-feed.ts';
import { alertRoutes } from './alert-routes.ts';
import type { AlertStore } from './alert-store.ts';
import { type AlertStreamSettings, registerAlertStream } from './alert-stream.ts';
import { registerConsole } from './console-routes.ts';

export interface AlertsAppDeps {
  readonly store: AlertStore;
  readonly feed: AlertFeed;
  readonly registry: Registry;
  /** /health checks by dependency name (kafka, postgres). */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** ALERTS_API_KEY: every alert route takes it; the acknowledgement takes nothing else. */
  readonly apiKey: string;
}

export interface AlertsAppOptions {
  readonly stream?: Partial<AlertStreamSettings>;
  /** The console's sessions (POST /session): lifetime and issuance per client address per minute. */
  readonly sessionTtlS?: number;
  readonly sessionsPerAddressPerMinute?: number;
  /** Demo only (ALERTS_CONSOLE_OPEN=true): the console page carries the API key. */
  readonly consoleOpen?: boolean;
  readonly consoleDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
}

export const defaultStreamSettings: AlertStreamSettings = Object.freeze({
  heartbeatMs: 15_000,
  maxClients: 200,
  maxClientsPerAddress: 20,
  maxHistoryEvents: 10_000,
});

/**
 * The alert service's HTTP app and its event streams (for the subscriber gauge). The pool and the
 * feed it reads are the service's: they are released after the app closed.
 */
export async function buildApp(
  deps: AlertsAppDeps,
  options: AlertsAppOptions = {},
): Promise<{ app: HttpApp; streams: EventStreams }> {
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: 16 * 1024,
    logger: options.logger ?? false,
  });
  // the console reads through a session it obtains itself; programs send the key
  const { canRead } = usePageSessions(app, {
    apiKey: deps.apiKey,
    ttlS: options.sessionTtlS,
    perAddressPerMinute: options.sessionsPerAddressPerMinute,
  });
  await app.register(alertRoutes, { store: deps.store, apiKey: deps.apiKey, canRead });
  const streams = registerAlertStream(app, {
    feed: deps.feed,
    store: deps.store,
    settings: { ...defaultStreamSettings, ...options.stream },
    canRead,
  });
  await registerConsole(app, {
    embeddedApiKey: options.consoleOpen === true ? deps.apiKey : undefined,
    dir: options.consoleDir,
  });
  return { app, streams };
}

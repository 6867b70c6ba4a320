import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { createApiKeyCheck, createInFlightLimit, installErrorHandlers } from '@streamkit/http';
import { type HealthCheck, observability } from '@streamkit/runtime';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { DeviceCache } from './device-cache.ts';
import type { DeviceRegistry } from './device-registry.ts';
import { deviceRoutes } from './device-routes.ts';
import { ingestRoutes } from './ingest-routes.ts';
import type { ReadingIngest } from './reading-ingest.ts';
import { type HubHttpSettings, resolveHubHttpSettings } from './settings.ts';

/** What the hub's HTTP side runs on (owned by the caller: main.ts closes them after the app). */
export interface HubAppDeps {
  readonly registry: DeviceRegistry;
  readonly cache: DeviceCache;
  readonly ingest: ReadingIngest;
  readonly metricsRegistry: Registry;
  /** Dependency probes for /health, e.g. { kafka, postgres, mqtt }. */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  readonly logger?: FastifyServerOptions['logger'];
}

export type HubAppOptions = Partial<HubHttpSettings> & Pick<HubHttpSettings, 'adminKey'>;

/**
 * The hub's HTTP service as a fastify instance (not listening): POST /ingest (NDJSON, device
 * tokens), the device registry API, /metrics and /health.
 */
export async function buildHubApp(deps: HubAppDeps, options: HubAppOptions): Promise<FastifyInstance> {
  const settings = resolveHubHttpSettings(options);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: settings.bodyLimitBytes,
    return503OnClosing: true,
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();

  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app, {
    unsupportedMediaTypeMessage: 'send application/json (or application/x-ndjson to /ingest)',
  });
  await app.register(observability, { registry: deps.metricsRegistry, checks: deps.checks });

  const limit = createInFlightLimit(settings.maxInFlight);
  await app.register(async (scoped) => {
    scoped.addHook('onRequest', limit.onRequest);
    await scoped.register(ingestRoutes, {
      ingest: deps.ingest,
      registry: deps.registry,
      maxLines: settings.maxLinesPerRequest,
    });
    await scoped.register(deviceRoutes, {
      registry: deps.registry,
      cache: deps.cache,
      checkAdminKey: createApiKeyCheck(settings.adminKey),
    });
  });
  return app;
}

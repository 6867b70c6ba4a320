import { createHttpApp, createInFlightLimit, type HttpApp } from '@streamkit/http';
import type { HealthCheck } from '@streamkit/runtime';
import type { FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { DeviceCache } from './device-cache.ts';
import type { DeviceRegistry } from './device-registry.ts';
import { deviceRoutes } from './device-routes.ts';
import { ingestRoutes } from './ingest-routes.ts';
import type { ReadingIngest } from './reading-ingest.ts';
import { type HubHttpSettings, resolveHubHttpSettings } from './settings.ts';

/** What the hub's HTTP side runs on (the service's: released after the app closed). */
export interface HubAppDeps {
  readonly registry: DeviceRegistry;
  readonly cache: DeviceCache;
  readonly ingest: ReadingIngest;
  readonly metricsRegistry: Registry;
  /** Dependency probes for /health, e.g. { kafka, postgres, mqtt }. */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  readonly logger?: FastifyServerOptions['logger'];
  /** Names no device may be registered under (the broker's own identities). */
  readonly reservedDeviceIds?: ReadonlySet<string>;
}

export type HubAppOptions = Partial<HubHttpSettings> & Pick<HubHttpSettings, 'adminKey'>;

/**
 * The hub's HTTP service as a fastify instance (not listening): POST /ingest (NDJSON, device
 * tokens), the device registry API, /metrics and /health.
 */
export async function buildHubApp(deps: HubAppDeps, options: HubAppOptions): Promise<HttpApp> {
  const settings = resolveHubHttpSettings(options);
  const app = await createHttpApp({
    registry: deps.metricsRegistry,
    checks: deps.checks,
    bodyLimit: settings.bodyLimitBytes,
    logger: deps.logger ?? false,
    unsupportedMediaTypeMessage: 'send application/json (or application/x-ndjson to /ingest)',
  });

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
      adminKey: settings.adminKey,
      reservedDeviceIds: deps.reservedDeviceIds ?? new Set<string>(),
    });
  });
  return app;
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyPlugin from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { SettingsError } from './errors.ts';
import { type HealthCheck, HealthReportSchema, runHealthChecks } from './health-report.ts';
import { recordHttpDurations } from './http-metrics.ts';

export interface ObservabilityOptions {
  /** The service's registry (createServiceRegistry); served at /metrics. */
  readonly registry: Registry;
  /** Dependency probes reported by /health, by name (kafka, postgres, redis, ...). */
  readonly checks?: Readonly<Record<string, HealthCheck>>;
  /** Time budget of each check. Default 1000 ms. */
  readonly checkTimeoutMs?: number;
}

const observabilityPlugin: FastifyPluginAsyncTypebox<ObservabilityOptions> = async (app, options) => {
  const { registry, checks = {}, checkTimeoutMs = 1000 } = options;
  if (registry === undefined || typeof registry.metrics !== 'function') {
    throw new SettingsError('observability', 'a prom-client Registry is required');
  }
  if (!Number.isInteger(checkTimeoutMs) || checkTimeoutMs <= 0) {
    throw new SettingsError(
      'observability',
      `checkTimeoutMs must be a positive integer, got ${checkTimeoutMs}`,
    );
  }
  for (const [name, probe] of Object.entries(checks)) {
    if (typeof probe !== 'function')
      throw new SettingsError('observability', `check "${name}" is not a function`);
  }

  recordHttpDurations(app, registry);

  app.get('/metrics', async (_request, reply) => {
    const body = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(body);
  });

  app.get(
    '/health',
    { schema: { response: { 200: HealthReportSchema, 503: HealthReportSchema } } },
    async (_request, reply) => {
      const report = await runHealthChecks(checks, checkTimeoutMs);
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    },
  );
};

/**
 * GET /metrics (Prometheus text) and GET /health (dependency checks, 200 or 503), plus the
 * `http_request_duration_seconds` histogram for every route of the app. Wrapped with
 * fastify-plugin, so routes and hook live on the instance it is registered on, not a child.
 */
export const observability = fastifyPlugin(observabilityPlugin, {
  name: '@streamkit/runtime/observability',
  fastify: '5.x',
});

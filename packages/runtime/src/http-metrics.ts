import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

export const httpRequestDurationName = 'http_request_duration_seconds';

/** Label value for requests no route matched (404s): raw URLs would explode the label set. */
export const unmatchedRoute = 'unmatched';

const httpBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The registry's `http_request_duration_seconds{method, route, status_code}` histogram, created on
 * first use so several fastify instances may share one registry.
 */
export function httpRequestDuration(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  const existing = registry.getSingleMetric(httpRequestDurationName);
  if (existing instanceof Histogram) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: httpRequestDurationName,
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: httpBuckets,
    registers: [registry],
  });
}

/** Observes every response of `app` (and of the routes of its child contexts). */
export function recordHttpDurations(app: FastifyInstance, registry: Registry): void {
  const histogram = httpRequestDuration(registry);
  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? unmatchedRoute,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

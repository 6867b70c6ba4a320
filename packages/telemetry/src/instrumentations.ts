import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Scraped, not served: a span per Prometheus scrape or health probe would drown the traces. */
const scrapePaths = new Set(['/metrics', '/health']);

function isScrape(url: string | undefined): boolean {
  if (url === undefined) return false;
  const query = url.indexOf('?');
  return scrapePaths.has(query === -1 ? url : url.slice(0, query));
}

/**
 * The maintained instrumentations of what the services stand on. Each hooks its module as it
 * loads (require-in-the-middle, and import-in-the-middle for ES module imports: see register.ts),
 * so they are created before the service's modules load.
 *
 * - http: one SERVER span per request, named `POST /payments` by the route template @fastify/otel
 *   hands it, continuing the caller's `traceparent`; a CLIENT span per outgoing node:http request.
 * - @fastify/otel: wires itself into every fastify instance created afterwards (the
 *   `fastify.initialization` diagnostics channel, no module patching). Its `request` span is
 *   INTERNAL under the http one; with no http span beneath (`app.inject()` in a test) it is the
 *   SERVER span, and is then named like the http one. No hook spans (5–6 per request here) and no
 *   handler span: the handler already runs inside the request's span.
 * - pg, ioredis: a CLIENT span per query or command, only inside a traced operation
 *   (`requireParentSpan`), so the rules/model reload polls and the batch loops stay untraced.
 *
 * Kafka has none on purpose: the kafkajs one parents every message of a batched produce to the
 * context of whoever flushed it, which breaks one trace per payment (see the README, "Kafka");
 * @streamkit/kafka carries the context in the headers itself.
 */
export function createInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => isScrape(request.url),
    }),
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      instrumentHandler: false,
      ignorePaths: ({ url }) => isScrape(url),
      requestHook(span, request) {
        if (getRPCMetadata(context.active())?.type !== RPCType.HTTP) {
          span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`);
        }
      },
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

/**
 * Patches node:http and node:https now that the instrumentations are enabled. Both were loaded
 * before any hook existed (the OTLP exporter imports them), and a loaded module is not seen again
 * by import-in-the-middle, nor by require-in-the-middle when fastify comes in through `import`;
 * a `require` of it now is. The patch is on the shared module object and `http.Server.prototype`.
 */
export function patchBuiltins(): void {
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
}

import {
  type Attributes,
  context,
  SpanKind,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { extractTraceContext } from './propagation.ts';
import { withSpan } from './spans.ts';

let cached: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined;

/** The tracer of the current provider: one taken before startTracing (or a restart of it) records nothing. */
function requestTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer('@streamkit/http') };
  return cached.tracer;
}

/**
 * Runs a request's work in one SERVER span named `<METHOD> <route template>` (e.g. `POST
 * /payments`, never the raw URL), continuing the caller's trace (`traceparent`), so the Kafka
 * headers a producer writes inside carry the same trace on to the next service.
 */
export function withRequestSpan<T>(
  request: Pick<FastifyRequest, 'method' | 'headers' | 'routeOptions'>,
  fn: () => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const route = request.routeOptions.url ?? 'unmatched';
  const parent = extractTraceContext(request.headers as Record<string, string | undefined>);
  return context.with(parent, () =>
    withSpan(
      requestTracer(),
      `${request.method} ${route}`,
      { 'http.request.method': request.method, 'http.route': route, ...attributes },
      fn,
      { kind: SpanKind.SERVER },
    ),
  );
}

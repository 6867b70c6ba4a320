import { context, SpanKind } from '@opentelemetry/api';
import { extractTraceContext, getTracer, withSpan } from '@streamkit/telemetry';
import type { FastifyRequest } from 'fastify';

const tracer = getTracer('@streamkit/recommendations/web');

/**
 * Runs a request's work in a server span that continues the caller's trace (its `traceparent`), so
 * the Kafka headers the producer writes inside carry the same trace on to the features worker.
 */
export function withRequestSpan<T>(
  request: FastifyRequest,
  name: string,
  attributes: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = extractTraceContext(request.headers as Record<string, string | undefined>);
  return context.with(parent, () => withSpan(tracer, name, attributes, fn, { kind: SpanKind.SERVER }));
}

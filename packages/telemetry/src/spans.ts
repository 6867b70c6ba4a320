import {
  type Attributes,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/** A tracer from the process's tracer provider (a no-op one until startTracing ran). */
export function getTracer(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/**
 * Runs `fn` inside a new active span named `name`: child spans and injected trace headers made
 * inside `fn` belong to it. A thrown error (or rejection) is recorded on the span, sets its status
 * to ERROR and is rethrown unchanged. The span always ends.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return tracer.startActiveSpan(
    name,
    { ...options, attributes: { ...options.attributes, ...attributes } },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

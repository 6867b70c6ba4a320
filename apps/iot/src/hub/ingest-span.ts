import { context, SpanKind } from '@opentelemetry/api';
import { extractTraceContext, getTracer, withSpan } from '@streamkit/telemetry';

const tracer = getTracer('@streamkit/iot/hub');

/**
 * Runs an MQTT reading's ingest in a span continuing the device's trace (an MQTT 5 user property
 * `traceparent`), so the Kafka headers the producer writes inside carry the trace on to the
 * processor. Without a tracing SDK the spans are no-ops. Hand-made: no instrumentation of the
 * mqtt client exists (POST /ingest gets its span from the http/fastify instrumentations).
 */
export function withIngestSpan<T>(
  carrier: Readonly<Record<string, string | undefined>>,
  name: string,
  attributes: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = extractTraceContext(carrier);
  return context.with(parent, () => withSpan(tracer, name, attributes, fn, { kind: SpanKind.CONSUMER }));
}

/** The W3C trace headers among MQTT 5 user properties (a property may repeat: the last wins). */
export function traceCarrierOf(
  userProperties: Readonly<Record<string, string | string[]>> | undefined,
): Record<string, string | undefined> {
  const pick = (name: string) => {
    const value = userProperties?.[name];
    return Array.isArray(value) ? value.at(-1) : value;
  };
  return { traceparent: pick('traceparent'), tracestate: pick('tracestate') };
}

import { type Link, SpanKind, trace } from '@opentelemetry/api';
import { type IncomingMessage, messageContext } from '@streamkit/kafka';
import { getTracer, withSpan } from '@streamkit/telemetry';

/**
 * At most this many links per batch span: a micro-batch holds up to tens of thousands of readings
 * from as many traces, and OpenTelemetry's SDK keeps 128 links per span by default anyway.
 */
export const MAX_BATCH_SPAN_LINKS = 128;

const tracer = getTracer('iot-processor');

/**
 * Runs one micro-batch inside a span `iot.processor.micro-batch` that links to the trace each
 * message carried in its Kafka headers (device → hub → Kafka → here).
 *
 * A batch span with links rather than a child span per message: a batch mixes readings of many
 * devices and traces, so no single trace is its parent (the OpenTelemetry messaging conventions
 * link batch receives the same way), and a span per reading would mean 100,000 spans a second at
 * the target rate for work that happens once per batch. Links past the cap are counted, not kept.
 */
export function withBatchSpan<T>(
  messages: readonly IncomingMessage<unknown>[],
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  const links: Link[] = [];
  const linked = new Set<string>();
  let traced = 0;
  for (const m of messages) {
    // cheap test first: most batches at full rate carry no (or few) sampled traces
    if (m.headers.traceparent === undefined) continue;
    const context = trace.getSpanContext(messageContext(m));
    if (context === undefined) continue;
    traced++;
    const key = `${context.traceId}-${context.spanId}`;
    if (links.length >= MAX_BATCH_SPAN_LINKS || linked.has(key)) continue;
    linked.add(key);
    links.push({ context });
  }
  return withSpan(
    tracer,
    'iot.processor.micro-batch',
    {
      ...attributes,
      'messaging.batch.message_count': messages.length,
      'iot.batch.traced_messages': traced,
      'iot.batch.links_dropped': Math.max(0, traced - links.length),
    },
    fn,
    // a root of its own: the batch has no one parent trace
    { kind: SpanKind.CONSUMER, links, root: true },
  );
}

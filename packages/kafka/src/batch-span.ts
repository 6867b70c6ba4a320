import { type Attributes, type Link, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import { withSpan } from '@streamkit/telemetry';
import { messageContext } from './trace.ts';
import type { IncomingMessage } from './types.ts';

/**
 * At most this many links per batch span: a batch holds up to tens of thousands of messages from as
 * many traces, and OpenTelemetry's SDK keeps 128 links per span by default anyway.
 */
export const MAX_BATCH_SPAN_LINKS = 128;

/**
 * Runs the work on one consumed batch inside a span `name` that links to the trace each message
 * carried in its Kafka headers (producer → Kafka → here).
 *
 * A batch span with links rather than a child span per message: a batch mixes messages of many
 * traces, so no single trace is its parent (the OpenTelemetry messaging conventions link batch
 * receives the same way), and a span per message would mean a span per event at full rate for work
 * that happens once per batch. Links past the cap are counted, not kept.
 */
export function withBatchSpan<T>(
  tracer: Tracer,
  name: string,
  messages: readonly IncomingMessage<unknown>[],
  attributes: Attributes,
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
    name,
    {
      ...attributes,
      'messaging.batch.message_count': messages.length,
      'messaging.batch.traced_messages': traced,
      'messaging.batch.links_dropped': Math.max(0, traced - links.length),
    },
    fn,
    // a root of its own: the batch has no one parent trace
    { kind: SpanKind.CONSUMER, links, root: true },
  );
}

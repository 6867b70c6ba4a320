import { type Context, context, propagation } from '@opentelemetry/api';

/**
 * Writes the active trace context (`traceparent`, `tracestate`, `baggage`) into `carrier`, e.g.
 * Kafka or HTTP headers, and returns it. Writes nothing when there is no active trace.
 */
export function injectTraceContext<C extends Record<string, string>>(
  carrier: C,
  from: Context = context.active(),
): C {
  propagation.inject(from, carrier);
  return carrier;
}

/**
 * The context described by a carrier's trace headers, on top of `base`. Run work in it with
 * `context.with(ctx, fn)` to continue the sender's trace.
 */
export function extractTraceContext(
  carrier: Readonly<Record<string, string | undefined>>,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, carrier);
}

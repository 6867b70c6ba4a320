import { type Context, context, propagation } from '@opentelemetry/api';
import type { Headers, IncomingMessage } from './types.ts';

/**
 * W3C trace context through Kafka headers: the producer writes `traceparent` (and `tracestate`,
 * `baggage`) of the active context; the consumer side continues that trace. Uses the globally
 * registered propagator (set up by @streamkit/telemetry's startTracing); without one, no-op.
 */
export function withTraceHeaders(
  headers: Headers | undefined,
  from: Context = context.active(),
): Record<string, string> {
  const carrier: Record<string, string> = { ...headers };
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a message's trace headers describe (the active one when it has none). */
export function messageContext(
  message: Pick<IncomingMessage<unknown>, 'headers'>,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, message.headers);
}

/** Runs `fn` inside the trace context the message was produced in, so spans made there continue its trace. */
export function withMessageContext<R>(message: Pick<IncomingMessage<unknown>, 'headers'>, fn: () => R): R {
  return context.with(messageContext(message), fn);
}

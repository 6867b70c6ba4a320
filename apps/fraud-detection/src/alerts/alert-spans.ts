import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type IncomingMessage, messageContext } from '@streamkit/kafka';
import { describeError } from '@streamkit/runtime';
import type { FraudAlert } from '@streamkit/schemas';
import { getTracer } from '@streamkit/telemetry';

const tracer = getTracer('@streamkit/fraud-detection/alerts');

/**
 * One consumer span per alert, child of the detector span that produced it (its Kafka trace
 * headers), covering the batch write that stores it (`write` returns the ids it newly stored): a batch mixes traces, so a single batch span
 * could continue only one of them.
 */
export async function withAlertSpans<Stored extends readonly string[]>(
  messages: readonly IncomingMessage<FraudAlert>[],
  write: () => Promise<Stored>,
): Promise<Stored> {
  const spans: [FraudAlert, Span][] = messages.map((m) => [
    m.value,
    tracer.startSpan(
      'fraud.alert.store',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'alert.id': m.value.alertId, 'payment.id': m.value.paymentId },
      },
      messageContext(m),
    ),
  ]);
  try {
    const result = await write();
    const stored = new Set(result);
    // false: a redelivery of an alert already stored (the sink is idempotent)
    for (const [alert, span] of spans) span.setAttribute('alert.stored', stored.has(alert.alertId));
    return result;
  } catch (error) {
    for (const [, span] of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
    }
    throw error;
  } finally {
    for (const [, span] of spans) span.end();
  }
}

// One trace across the fraud path: the gateway's request span → the detector's span for that
// payment → the alert service's span storing its alert, recorded in memory in this process. The
// payment goes over a real socket, so the request span is the http instrumentation's, as in
// production (`app.inject()` would skip node:http).
import { SpanKind } from '@opentelemetry/api';
import { createSpanRecorder, startTracing, type Tracing } from '@streamkit/telemetry';
import { waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsHarness } from './support/alerts-harness.ts';
import { type FraudPipeline, startFraudPipeline } from './support/fraud-pipeline.ts';
import { samplePayment, type TestGateway, testApiKey } from './support/gateway-harness.ts';

const recorder = createSpanRecorder();
let tracing: Tracing;
let pipeline: FraudPipeline;
let gateway: TestGateway;
let alerts: AlertsHarness;

beforeAll(async () => {
  // before anything records: tracing registers the process-wide provider the tracers delegate to
  tracing = startTracing({ serviceName: 'fraud-trace-test', spanProcessors: [recorder.processor] });
  pipeline = await startFraudPipeline('trace');
  ({ gateway, alerts } = pipeline);
});

afterAll(async () => {
  await pipeline?.close();
  await tracing?.shutdown();
});

describe('one trace across gateway → detector → alerts', () => {
  it('gives the spans of one payment one trace id, each the parent of the next', async () => {
    // a sanctioned country: R-EMBARGOED-COUNTRY holds the payment for review, which raises an alert
    const payment = samplePayment({ country: 'IR', ts: new Date().toISOString() });
    const accepted = await fetch(`${gateway.address}/payments`, {
      method: 'POST',
      headers: { 'x-api-key': testApiKey, 'content-type': 'application/json' },
      body: JSON.stringify(payment),
    });
    expect(accepted.status).toBe(202);

    await waitFor(
      async () => {
        const { rows } = await alerts.pool.query('select 1 from fraud_alerts where payment_id = $1', [
          payment.paymentId,
        ]);
        return rows.length === 1;
      },
      { timeoutMs: 60_000, message: 'alert stored' },
    );
    const forPayment = await waitFor(
      async () => {
        await tracing.forceFlush();
        const spans = recorder.finishedSpans();
        const byId = (id: string | undefined) => spans.find((s) => s.spanContext().spanId === id);
        const mine = spans.filter((s) => s.attributes['payment.id'] === payment.paymentId);
        const detect = mine.find((s) => s.name === 'fraud.detect');
        const store = mine.find((s) => s.name === 'fraud.alert.store');
        // the gateway's handler runs in @fastify/otel's request span, under the http SERVER span
        const handled = byId(detect?.parentSpanContext?.spanId);
        const server = byId(handled?.parentSpanContext?.spanId);
        if (!server || !handled || !detect || !store) {
          throw new Error(`spans so far: ${mine.map((s) => s.name)}`);
        }
        return { server, handled, detect, store };
      },
      { timeoutMs: 10_000, message: 'the spans of the payment' },
    );
    const { server, handled, detect, store } = forPayment;

    expect(server.name).toBe('POST /payments');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
    expect(server.attributes['http.route']).toBe('/payments');
    expect(handled.instrumentationScope.name).toBe('@fastify/otel');
    expect(handled.attributes['payment.id']).toBe(payment.paymentId);
    const traceId = server.spanContext().traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const span of [handled, detect, store]) expect(span.spanContext().traceId).toBe(traceId);
    expect(store.parentSpanContext?.spanId).toBe(detect.spanContext().spanId);
    expect(detect.attributes['fraud.decision']).toBe('review');
    expect(store.attributes['alert.stored']).toBe(true);
  });
});

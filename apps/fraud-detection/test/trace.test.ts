// One trace across the fraud path: the gateway's request span → the detector's span for that
// payment → the alert service's span storing its alert, recorded in memory in this process.
import { SpanKind } from '@opentelemetry/api';
import { createSpanRecorder, startTracing, type Tracing } from '@streamkit/telemetry';
import { waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDetectorTestEnv, type DetectorTestEnv } from './detector.harness.ts';
import { type AlertsHarness, startAlertsHarness } from './support/alerts-harness.ts';
import { postPayment, samplePayment, startTestGateway, type TestGateway } from './support/gateway-harness.ts';

const recorder = createSpanRecorder();
let tracing: Tracing;
let env: DetectorTestEnv;
let gateway: TestGateway;
let alerts: AlertsHarness;

beforeAll(async () => {
  // before anything records: tracing registers the process-wide provider the tracers delegate to
  tracing = startTracing({ serviceName: 'fraud-trace-test', spanProcessors: [recorder.processor] });
  env = await createDetectorTestEnv(inject('infrastructure'), 'trace');
  gateway = await startTestGateway(env);
  await env.startDetector();
  alerts = await startAlertsHarness({ shared: { topicPrefix: env.topicPrefix, database: env.db } });
});

afterAll(async () => {
  await alerts?.close();
  await gateway?.stop();
  await env?.close();
  await tracing?.shutdown();
});

describe('one trace across gateway → detector → alerts', () => {
  it('gives the spans of one payment one trace id, each the parent of the next', async () => {
    // a sanctioned country: R-EMBARGOED-COUNTRY holds the payment for review, which raises an alert
    const payment = samplePayment({ country: 'IR', ts: new Date().toISOString() });
    const accepted = await postPayment(gateway.app, payment);
    expect(accepted.statusCode).toBe(202);

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
        const spans = recorder
          .finishedSpans()
          .filter((s) => s.attributes['payment.id'] === payment.paymentId);
        const byName = (name: string) => spans.find((s) => s.name === name);
        const request = byName('POST /payments');
        const detect = byName('fraud.detect');
        const store = byName('fraud.alert.store');
        if (!request || !detect || !store) throw new Error(`spans so far: ${spans.map((s) => s.name)}`);
        return { request, detect, store };
      },
      { timeoutMs: 10_000, message: 'the three spans of the payment' },
    );
    const { request, detect, store } = forPayment;

    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes['http.route']).toBe('/payments');
    const traceId = request.spanContext().traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(detect.spanContext().traceId).toBe(traceId);
    expect(store.spanContext().traceId).toBe(traceId);
    expect(detect.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(store.parentSpanContext?.spanId).toBe(detect.spanContext().spanId);
    expect(detect.attributes['fraud.decision']).toBe('review');
    expect(store.attributes['alert.stored']).toBe(true);
  });
});

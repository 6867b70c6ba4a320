// The processor's micro-batch span links to the trace each reading carried in its Kafka headers.
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { getTracer, startTracing, type Tracing, withSpan } from '@streamkit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(async () => {
  tracing = startTracing({
    serviceName: 'iot-processor-tracing-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
});
afterAll(async () => {
  await tracing?.shutdown();
});
// registered after the tracing hooks: opened with tracing on, closed before it shuts down
const env = useProcessorEnv('iot-tracing');

describe('processor: trace context from Kafka headers', () => {
  it('each micro-batch span links to the traces of its readings', async () => {
    const tracer = getTracer('iot-tracing-test');
    // two "hub" spans, as if two devices' readings came through the hub in two traces
    const traceIds: string[] = [];
    for (const device of ['tr-a', 'tr-b']) {
      await withSpan(tracer, 'hub.produce', {}, async (span) => {
        traceIds.push(span.spanContext().traceId);
        await env().producer.send(env().topics.telemetry, [
          { key: device, value: reading(device, 1, BASE_MS, 21) },
          { key: device, value: reading(device, 2, BASE_MS + 1000, 22) },
        ]);
      });
    }
    // and one without a trace: no link for it
    await env().producer.send(env().topics.telemetry, [
      { key: 'tr-c', value: reading('tr-c', 1, BASE_MS, 20) },
    ]);
    await env().startProcessor();

    const batchSpans = async () => {
      await tracing.forceFlush();
      return exporter.getFinishedSpans().filter((s) => s.name === 'iot.processor.micro-batch');
    };
    await expect
      .poll(
        async () =>
          (await batchSpans()).reduce((n, s) => n + Number(s.attributes['messaging.batch.message_count']), 0),
        { timeout: 30_000 },
      )
      .toBe(5);
    const spans = await batchSpans();
    const linkedTraces = new Set(spans.flatMap((s) => s.links.map((l) => l.context.traceId)));
    expect([...linkedTraces].sort()).toEqual([...traceIds].sort());
    for (const s of spans) {
      expect(s.kind).toBe(SpanKind.CONSUMER);
      // a root of its own, not a child of one reading's trace
      expect(s.parentSpanContext).toBeUndefined();
      expect(traceIds).not.toContain(s.spanContext().traceId);
    }
    expect(spans.reduce((n, s) => n + Number(s.attributes['messaging.batch.traced_messages']), 0)).toBe(4);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

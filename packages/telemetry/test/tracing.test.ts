import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { SettingsError } from '@streamkit/runtime';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  extractTraceContext,
  getTracer,
  injectTraceContext,
  startTracing,
  type Tracing,
  withSpan,
} from '../src/index.ts';

// Tracing registers process-wide providers: each test starts its own and shuts it down.
let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function startInMemory(): { finishedSpans(): Promise<ReadableSpan[]> } {
  const exporter = new InMemorySpanExporter();
  const started = startTracing({
    serviceName: 'tracing-test',
    serviceVersion: '1.2.3',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  tracing = started;
  return {
    // Export waits for the detected resource attributes: flush before reading.
    async finishedSpans() {
      await started.forceFlush();
      return exporter.getFinishedSpans();
    },
  };
}

async function spanNamed(
  spans: { finishedSpans(): Promise<ReadableSpan[]> },
  name: string,
): Promise<ReadableSpan> {
  const span = (await spans.finishedSpans()).find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no finished span named ${name}`);
  return span;
}

const traceparentFormat = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('startTracing + withSpan', () => {
  it('records a span with attributes, kind and the service resource', async () => {
    const spans = startInMemory();
    const tracer = getTracer('fraud-scorer');

    const result = await withSpan(tracer, 'score payment', { 'payment.id': 'p-1' }, async () => 42, {
      kind: SpanKind.CONSUMER,
    });

    expect(result).toBe(42);
    const span = await spanNamed(spans, 'score payment');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes['payment.id']).toBe('p-1');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.resource.attributes['service.name']).toBe('tracing-test');
    expect(span.resource.attributes['service.version']).toBe('1.2.3');
    expect(span.resource.attributes['telemetry.sdk.language']).toBe('nodejs');
  });

  it('records the exception, sets ERROR status and rethrows the same error', async () => {
    const spans = startInMemory();
    const failure = new RangeError('amount out of range');

    await expect(
      withSpan(getTracer('t'), 'validate', {}, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const span = await spanNamed(spans, 'validate');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'amount out of range' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    expect(span.events[0]?.attributes?.['exception.type']).toBe('RangeError');
    expect(span.ended).toBe(true);
  });

  it('nests spans made inside withSpan under it', async () => {
    const spans = startInMemory();
    const tracer = getTracer('t');

    await withSpan(tracer, 'outer', {}, () => withSpan(tracer, 'inner', {}, () => undefined));

    const inner = await spanNamed(spans, 'inner');
    const outer = await spanNamed(spans, 'outer');
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
  });
});

describe('W3C trace-context propagation (what the Kafka headers carry)', () => {
  it('injects traceparent into a carrier and continues the same trace after extracting it', async () => {
    const spans = startInMemory();
    const tracer = getTracer('producer');

    const headers = await withSpan(tracer, 'send payment', {}, () =>
      injectTraceContext<Record<string, string>>({}),
    );
    expect(headers.traceparent).toMatch(traceparentFormat);

    // The consumer side starts from an empty context, as a fresh message handler would.
    const received = extractTraceContext({ ...headers }, context.active());
    await context.with(received, () =>
      withSpan(getTracer('consumer'), 'process payment', {}, () => undefined),
    );

    const producerSpan = await spanNamed(spans, 'send payment');
    const consumerSpan = await spanNamed(spans, 'process payment');
    expect(headers.traceparent).toBe(
      `00-${producerSpan.spanContext().traceId}-${producerSpan.spanContext().spanId}-01`,
    );
    expect(consumerSpan.spanContext().traceId).toBe(producerSpan.spanContext().traceId);
    expect(consumerSpan.parentSpanContext?.spanId).toBe(producerSpan.spanContext().spanId);
  });

  it('still passes the trace on when nothing is exported (tracing off)', async () => {
    tracing = startTracing({ serviceName: 'relay' });
    expect(tracing.enabled).toBe(false);
    expect(propagation.fields()).toContain('traceparent');

    const incoming = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const outgoing = context.with(extractTraceContext(incoming), () =>
      getTracer('relay').startActiveSpan('forward', (span) => {
        span.end();
        return injectTraceContext<Record<string, string>>({});
      }),
    );

    expect(outgoing.traceparent?.split('-')[1]).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('writes nothing into the carrier without an active trace', () => {
    tracing = startTracing({ serviceName: 'idle' });
    expect(injectTraceContext<Record<string, string>>({})).toEqual({});
  });
});

describe('the request span (@fastify/otel; in a real server the http instrumentation makes it)', () => {
  it('is one SERVER span named by the route template, child of the caller, active in the handler', async () => {
    const spans = startInMemory();
    // created after startTracing: the instrumentation wires itself into each new fastify instance
    const app = Fastify();
    app.post<{ Params: { id: string } }>('/orders/:id', async (request) => {
      trace.getActiveSpan()?.setAttribute('order.id', request.params.id);
      // what a producer inside the handler would write into its Kafka headers
      return injectTraceContext({});
    });
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await app.inject({
      method: 'POST',
      url: '/orders/o-17?x=1',
      headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`, 'content-type': 'application/json' },
      payload: { item: 1 },
    });
    const span = await spanNamed(spans, 'POST /orders/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toMatchObject({ 'http.route': '/orders/:id', 'order.id': 'o-17' });
    expect(span.spanContext().traceId).toBe(callerTrace);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    // the headers written inside carry this span on
    expect(res.json().traceparent).toBe(`00-${callerTrace}-${span.spanContext().spanId}-01`);
    // one span per request: no hook or handler spans
    expect((await spans.finishedSpans()).map((s) => s.name)).toEqual(['POST /orders/:id']);
  });

  it('leaves /metrics and /health untraced', async () => {
    const spans = startInMemory();
    const app = Fastify();
    app.get('/health', async () => ({ status: 'ok' }));
    app.get('/metrics', async () => '');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics?x=1' })).statusCode).toBe(200);
    expect(await spans.finishedSpans()).toEqual([]);
  });

  it('runs no instrumentation while nothing is recorded (they cost CPU on every request)', async () => {
    const instrumented = async () => {
      const app = Fastify();
      await app.ready();
      return app.hasPlugin('@fastify/otel');
    };
    tracing = startTracing({ serviceName: 'quiet' });
    expect(await instrumented()).toBe(false);
    await tracing.shutdown();

    startInMemory();
    expect(await instrumented()).toBe(true);
  });
});

describe('startTracing settings and lifecycle', () => {
  it('rejects nonsense settings with a clear error', () => {
    expect(() => startTracing({ serviceName: '' })).toThrow(SettingsError);
    expect(() => startTracing({ serviceName: 's', otlpEndpoint: 'not a url' })).toThrow(
      /otlpEndpoint is not a URL/,
    );
    expect(() => startTracing({ serviceName: 's', otlpEndpoint: 'grpc://collector:4317' })).toThrow(
      /must be http\(s\)/,
    );
  });

  it('refuses a second start while one is running, and allows it after shutdown', async () => {
    tracing = startTracing({ serviceName: 'first' });
    expect(() => startTracing({ serviceName: 'second' })).toThrow(/already started/);

    await tracing.shutdown();
    await tracing.shutdown();
    expect(propagation.fields()).toEqual([]);
    expect(trace.getTracer('x').startSpan('noop').isRecording()).toBe(false);

    tracing = startTracing({ serviceName: 'second' });
    expect(propagation.fields()).toContain('traceparent');
  });
});

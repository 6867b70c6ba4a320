import { context, logs, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { SettingsError } from '@streamkit/runtime';
import { createInstrumentations, patchBuiltins } from './instrumentations.ts';

export interface TracingSettings {
  /** `service.name` of every span. */
  readonly serviceName: string;
  /** `service.version` of every span, when known. */
  readonly serviceVersion?: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT), e.g. http://otel-collector:4318. Unset: no export. */
  readonly otlpEndpoint?: string;
  /** Extra processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * Run the http, fastify, pg and ioredis instrumentations (createInstrumentations). Default: only
   * when spans are recorded; they cost CPU on every request even when nothing is (see the README).
   */
  readonly instrument?: boolean;
}

export interface Tracing {
  /** True when spans are recorded (an OTLP endpoint or extra span processors were given). */
  readonly enabled: boolean;
  /** Exports the spans ended so far; tracing stays on. */
  forceFlush(): Promise<void>;
  /** Exports what is pending, stops tracing and releases the process-wide registrations. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for this process. The W3C trace-context (and baggage) propagator and the
 * async context manager are always registered, so `traceparent` headers flow through Kafka even
 * when nothing is exported; spans are recorded, and the instrumentations run, only when there is
 * somewhere to send them. One tracing per process: the OpenTelemetry API keeps its providers in
 * process-wide slots.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const { serviceName, serviceVersion, otlpEndpoint } = settings;
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    throw new SettingsError('startTracing', 'serviceName must be a non-empty string');
  }
  if (propagation.fields().length > 0) {
    throw new SettingsError(
      'startTracing',
      'tracing is already started in this process; shut the previous one down first',
    );
  }
  const spanProcessors = [...(settings.spanProcessors ?? [])];
  if (otlpEndpoint !== undefined) {
    spanProcessors.unshift(
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl(otlpEndpoint) }) }),
    );
  }

  const recording = spanProcessors.length > 0;
  const instrumentations = (settings.instrument ?? recording) ? createInstrumentations() : [];

  const sdk = new NodeSDK({
    serviceName,
    // Keeps the SDK's telemetry.sdk.* attributes beside ours.
    resource: defaultResource().merge(
      resourceFromAttributes(serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: serviceVersion }),
    ),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    // An empty list means "no tracer provider": the SDK would otherwise default to an OTLP exporter.
    spanProcessors,
    // Metrics go through prom-client (/metrics) and logs to stdout; the SDK must not set up exporters for them.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  if (instrumentations.length > 0) patchBuiltins();

  let stopped: Promise<void> | undefined;
  return {
    enabled: recording,
    async forceFlush() {
      if (stopped) return;
      await Promise.all(spanProcessors.map((processor) => processor.forceFlush()));
    },
    shutdown() {
      stopped ??= sdk.shutdown().finally(() => {
        // the SDK leaves them patched; a later startTracing in this process brings its own
        for (const instrumentation of instrumentations) instrumentation.disable();
        trace.disable();
        logs.disable();
        propagation.disable();
        context.disable();
      });
      return stopped;
    },
  };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base URL; the traces signal lives under /v1/traces (OTLP spec). */
function tracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new SettingsError('startTracing', `otlpEndpoint is not a URL: ${JSON.stringify(endpoint)}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError('startTracing', `otlpEndpoint must be http(s), got ${url.protocol}`);
  }
  return `${url.href.replace(/\/+$/, '')}/v1/traces`;
}

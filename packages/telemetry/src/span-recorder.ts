import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from './tracing.ts';

/** Spans kept in memory, for tests that assert on traces without a collector. */
export interface SpanRecorder {
  /** Pass to `startTracing({ spanProcessors: [recorder.processor] })`. */
  readonly processor: SpanProcessor;
  /** Every span ended so far; call after `tracing.forceFlush()` (export waits for the resource). */
  finishedSpans(): readonly ReadableSpan[];
}

/**
 * A SimpleSpanProcessor over an InMemorySpanExporter, so packages that test their tracing need not
 * depend on the OpenTelemetry SDK themselves.
 */
export function createSpanRecorder(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  return {
    processor: new SimpleSpanProcessor({ exporter }),
    finishedSpans: () => exporter.getFinishedSpans(),
  };
}

/**
 * Tracing that records, as a service with OTEL_EXPORTER_OTLP_ENDPOINT set does, into memory: the
 * instrumentations that continue a caller's trace through a request run only while spans are
 * recorded, so a test of what a request carries on starts this first (and shuts it down after).
 */
export function startRecordingTracing(serviceName: string): { tracing: Tracing; recorder: SpanRecorder } {
  const recorder = createSpanRecorder();
  return { tracing: startTracing({ serviceName, spanProcessors: [recorder.processor] }), recorder };
}

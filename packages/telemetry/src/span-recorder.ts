import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

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

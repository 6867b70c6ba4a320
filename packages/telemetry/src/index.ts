// Tracing and metric definitions. Serving /metrics and /health, the registry per service and the
// health checks live in @streamkit/runtime (the composition root every service starts through).
export { type ExitHookOptions, shutdownTracingOnExit } from './exit-hooks.ts';
export { type MetricBuilders, metricsOn } from './metric-builders.ts';
export { createPipelineMetrics, type PipelineMetrics } from './pipeline-metrics.ts';
export { extractTraceContext, injectTraceContext } from './propagation.ts';
export { createSpanRecorder, type SpanRecorder, startRecordingTracing } from './span-recorder.ts';
export { getTracer, withSpan } from './spans.ts';
export { startTracing, type Tracing, type TracingSettings } from './tracing.ts';

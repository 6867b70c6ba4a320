export { describeError } from './describe-error.ts';
export {
  HealthCheckFailedError,
  HealthCheckTimeoutError,
  TelemetryError,
  TelemetrySettingsError,
} from './errors.ts';
export { type ExitHookOptions, shutdownTracingOnExit } from './exit-hooks.ts';
export { type ObservabilityOptions, observability } from './fastify-plugin.ts';
export {
  type ClusterDescriber,
  check,
  kafkaCheck,
  type Pingable,
  postgresCheck,
  type Queryable,
  redisCheck,
} from './health-checks.ts';
export {
  type CheckResult,
  CheckResultSchema,
  type HealthCheck,
  type HealthReport,
  HealthReportSchema,
  runHealthChecks,
} from './health-report.ts';
export {
  httpRequestDuration,
  httpRequestDurationName,
  recordHttpDurations,
  unmatchedRoute,
} from './http-metrics.ts';
export {
  type ObservabilityServer,
  type ObservabilityServerSettings,
  startObservabilityServer,
} from './observability-server.ts';
export { createPipelineMetrics, type PipelineMetrics } from './pipeline-metrics.ts';
export { extractTraceContext, injectTraceContext } from './propagation.ts';
export { createServiceRegistry, type ServiceRegistryOptions } from './registry.ts';
export { createSpanRecorder, type SpanRecorder } from './span-recorder.ts';
export { getTracer, withSpan } from './spans.ts';
export { startTracing, type Tracing, type TracingSettings } from './tracing.ts';

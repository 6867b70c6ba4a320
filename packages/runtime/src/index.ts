// The composition root every streamkit service starts through, and what every package shares:
// the logger, graceful shutdown, the error base, /metrics + /health and the health checks.
export {
  describeError,
  HealthCheckFailedError,
  HealthCheckTimeoutError,
  markPoison,
  PoisonError,
  SettingsError,
  StreamkitError,
} from './errors.ts';
export { type BackoffPolicy, backoffDelayMs } from './backoff.ts';
export { createExpiringCache, type ExpiringCache } from './expiring-cache.ts';
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
export { createConsoleLogger, isLogLevel, type Logger, type LogLevel, silentLogger } from './logger.ts';
export { defineNodeFlags, type NodeFlags, serviceCommand } from './node-flags.ts';
export {
  type ObservabilityServer,
  type ObservabilityServerSettings,
  startObservabilityServer,
} from './observability-server.ts';
export { createServiceRegistry, type ServiceRegistryOptions } from './registry.ts';
export { type ResourceStack, type StartupWait, StartupError } from './resource-stack.ts';
export {
  type Removed,
  type RetentionMetrics,
  type RetentionSchedule,
  type RetentionTask,
  reportPrune,
  retentionMetrics,
  scheduleRetention,
} from './retention.ts';
export { type JobParts, type RunJobOptions, runJob } from './run-job.ts';
export { type RunServiceOptions, runService } from './run-service.ts';
export { runtimeEnv } from './runtime-env.ts';
export {
  defineService,
  type RunningService,
  type ServiceConfig,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceEndpoint,
  type StartOptions,
  startService,
  startupFailureLine,
} from './service.ts';
export {
  createGracefulShutdown,
  type GracefulShutdown,
  type GracefulShutdownSettings,
  type SignalSource,
} from './shutdown.ts';
export {
  causeChain,
  type ErrorLike,
  infrastructureFailureReason,
  retriableVerdictReason,
  sqlState,
  transientFailureReason,
} from './infrastructure-failure.ts';

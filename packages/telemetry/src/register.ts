/**
 * Loaded before a service's own modules:
 *   node --import @streamkit/telemetry/register src/<service>/main.ts
 * Reads OTEL_SERVICE_NAME and the telemetry settings through @streamkit/config, starts tracing
 * (exporting over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set) and exports pending
 * spans when the process ends. Invalid settings stop the process here, before the app starts.
 */
import { env, loadConfig, telemetryEnv } from '@streamkit/config';
import { shutdownTracingOnExit } from './exit-hooks.ts';
import { startTracing } from './tracing.ts';

const config = loadConfig({
  ...telemetryEnv,
  // The OpenTelemetry default for an unnamed service.
  serviceName: env.string('OTEL_SERVICE_NAME', { default: 'unknown_service:node' }),
});

const tracing = startTracing({ serviceName: config.serviceName, otlpEndpoint: config.otlpEndpoint });
shutdownTracingOnExit(process, tracing);

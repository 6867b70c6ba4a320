/**
 * Loaded before a service's own modules:
 *   node --import @streamkit/telemetry/register src/<service>/main.ts
 * Reads OTEL_SERVICE_NAME and the telemetry settings through @streamkit/config, starts tracing
 * (exporting over OTLP/HTTP, with the instrumentations, only when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set) and exports pending spans when the process ends. Invalid settings stop the process here,
 * before the app starts.
 */
import { register } from 'node:module';
import { env, loadConfig, telemetryEnv } from '@streamkit/config';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { shutdownTracingOnExit } from './exit-hooks.ts';
import { startTracing } from './tracing.ts';

const config = loadConfig({
  ...telemetryEnv,
  // The OpenTelemetry default for an unnamed service.
  serviceName: env.string('OTEL_SERVICE_NAME', { default: 'unknown_service:node' }),
});
const recording = config.otlpEndpoint !== undefined;

// The services import pg, ioredis and fastify as ES modules, which require-in-the-middle never
// sees: import-in-the-middle's loader lets the instrumentations patch them. The message channel
// tells the loader which modules they hook, so it wraps only those.
const loader = recording ? createAddHookMessageChannel() : undefined;
if (loader) register('import-in-the-middle/hook.mjs', import.meta.url, loader.registerOptions);

const tracing = startTracing({
  serviceName: config.serviceName,
  otlpEndpoint: config.otlpEndpoint,
  instrument: recording,
});
shutdownTracingOnExit(process, tracing);
// the loader must know every hooked module before the service's first import
await loader?.waitForAllMessagesAcknowledged();

import Fastify from 'fastify';
import type { Registry } from 'prom-client';
import { SettingsError } from './errors.ts';
import { observability } from './fastify-plugin.ts';
import type { HealthCheck } from './health-report.ts';

export interface ObservabilityServerSettings {
  /** Interface to listen on. Default 0.0.0.0 so Prometheus can scrape from another container. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see the returned `port`). */
  readonly port: number;
  readonly registry: Registry;
  readonly checks?: Readonly<Record<string, HealthCheck>>;
  readonly checkTimeoutMs?: number;
}

export interface ObservabilityServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A small HTTP server with only /metrics and /health, for services without HTTP of their own. */
export async function startObservabilityServer(
  settings: ObservabilityServerSettings,
): Promise<ObservabilityServer> {
  const { host = '0.0.0.0', port, registry, checks, checkTimeoutMs } = settings;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SettingsError('startObservabilityServer', `port must be an integer in 0..65535, got ${port}`);
  }
  const app = Fastify({ logger: false });
  let address: string;
  try {
    await app.register(observability, { registry, checks, checkTimeoutMs });
    address = await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const bound = app.server.address();
  return {
    address,
    port: typeof bound === 'object' && bound !== null ? bound.port : port,
    close: () => app.close(),
  };
}

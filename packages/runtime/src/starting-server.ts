import type { Registry } from 'prom-client';
import type { Logger } from './logger.ts';
import { type ObservabilityServer, startObservabilityServer } from './observability-server.ts';

/**
 * /health and /metrics while a start step waits for a dependency that is down: the service's own
 * server only listens once every step is done, and until then an orchestrator or a person asking
 * /health would get "connection refused" with no reason. This one answers 503 with the step and
 * the reason of its last failed attempt (a check named `starting` that fails), and /metrics with
 * the startup waits. It opens at the first wait and closes before the service's server listens
 * on the same port.
 */
export interface StartingServer {
  /** A start step failed for a transient reason and is about to be retried. */
  waiting(step: string, reason: string): void;
  /** Closes it (if it was opened); the port is free when this resolves. */
  close(): Promise<void>;
}

/**
 * The port the service will listen on, read from the shared config groups' fields (`port` of an
 * HTTP service, else `metricsPort`); undefined for 0 (a free port picked at listen: unknown now).
 */
export function listenTarget(config: object): { port: number; host: string } | undefined {
  const fields = config as { port?: unknown; host?: unknown; metricsPort?: unknown };
  const host = typeof fields.host === 'string' ? fields.host : '0.0.0.0';
  for (const port of [fields.port, fields.metricsPort]) {
    if (typeof port === 'number' && Number.isInteger(port) && port > 0) return { port, host };
  }
  return undefined;
}

export function createStartingServer(
  target: { port: number; host: string } | undefined,
  registry: Registry,
  logger: Logger,
): StartingServer {
  let last = { step: '', reason: '' };
  let server: Promise<ObservabilityServer | undefined> | undefined;
  return {
    waiting(step, reason) {
      last = { step, reason };
      if (target === undefined || server !== undefined) return;
      server = startObservabilityServer({
        ...target,
        registry,
        checks: {
          starting: async () => {
            throw new Error(`waiting for ${last.step}: ${last.reason}`);
          },
        },
      }).catch((error: unknown) => {
        logger.warn(`no /health while starting: port ${target.port} not available`, {
          error: String(error),
        });
        return undefined;
      });
    },
    async close() {
      const opened = await server;
      server = undefined;
      await opened?.close();
    },
  };
}

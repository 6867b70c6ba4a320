import { collectDefaultMetrics, Registry } from 'prom-client';
import { SettingsError } from './errors.ts';

export interface ServiceRegistryOptions {
  /** Register Node's process metrics (CPU, memory, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
}

/**
 * A new Prometheus registry for one service. Never prom-client's global registry, so two
 * services (or two tests) in one process register the same metric names without colliding.
 * Every series carries the default label `service`.
 */
export function createServiceRegistry(serviceName: string, options: ServiceRegistryOptions = {}): Registry {
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    throw new SettingsError('createServiceRegistry', 'serviceName must be a non-empty string');
  }
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

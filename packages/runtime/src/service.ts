import {
  type Config,
  ConfigError,
  type ConfigSpec,
  describeConfig,
  type EnvSource,
  loadConfig,
} from '@streamkit/config';
import type { FastifyInstance } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { BackoffPolicy } from './backoff.ts';
import { describeError, SettingsError } from './errors.ts';
import type { HealthCheck } from './health-report.ts';
import { createConsoleLogger, type Logger } from './logger.ts';
import { startObservabilityServer } from './observability-server.ts';
import { createServiceRegistry } from './registry.ts';
import { createResourceStack, StartupError } from './resource-stack.ts';
import { runtimeEnv } from './runtime-env.ts';
import { createStartingServer, listenTarget } from './starting-server.ts';

/** The configuration a service's `start` receives: its own spec plus LOG_LEVEL and SHUTDOWN_TIMEOUT_MS. */
export type ServiceConfig<S extends ConfigSpec> = Config<S & typeof runtimeEnv>;

/** What a service's `start` is given: everything every service needs, built once, here. */
export interface ServiceContext<C> {
  /** e.g. `fraud-gateway`: the `service` label of every metric and the name in every log line. */
  readonly name: string;
  readonly config: C;
  readonly logger: Logger;
  /** The service's own Prometheus registry (never the global one). */
  readonly registry: Registry;
  /**
   * Opens a resource now and closes it at shutdown, after everything acquired later (consumers are
   * acquired after the producers and pools they use, so they stop first). A failure to open stops
   * the start with one line naming `name`.
   */
  acquire<T>(
    name: string,
    open: () => Promise<T> | T,
    close?: (value: T) => Promise<unknown> | unknown,
  ): Promise<T>;
  /**
   * A long-running task (a consumer's `done`): when it fails, the service stops and exits 1. With
   * `stopWhenDone` (a bounded run, e.g. a simulator told to stop after N ticks) its completion stops
   * the service as a signal would (exit 0).
   */
  watch(name: string, done: Promise<unknown>, options?: { readonly stopWhenDone?: boolean }): void;
  /** Runs `task` every `intervalMs`, never two at once; a failure is logged and retried next time. */
  every(name: string, intervalMs: number, task: () => Promise<unknown>): void;
}

/** How the service is reached: its own fastify app (with the observability plugin), or a metrics server. */
export type ServiceEndpoint<P> = (
  | { readonly app: FastifyInstance; readonly port: number; readonly host?: string }
  | {
      readonly metrics: {
        readonly port: number;
        readonly host?: string;
        readonly checks: Readonly<Record<string, HealthCheck>>;
      };
    }
) & {
  /** What tests may reach into (the running parts); production code never needs it. */
  readonly parts?: P;
};

export interface ServiceDefinition<S extends ConfigSpec, P = undefined> {
  readonly name: string;
  readonly config: S;
  /** Problems between settings (each a sentence); any problem refuses the start. */
  readonly checkConfig?: (config: ServiceConfig<S>) => readonly string[];
  readonly start: (context: ServiceContext<ServiceConfig<S>>) => Promise<ServiceEndpoint<P>>;
}

export interface RunningService<C, P = undefined> {
  readonly name: string;
  readonly config: C;
  readonly logger: Logger;
  /** LOG_LEVEL and SHUTDOWN_TIMEOUT_MS as loaded. */
  readonly runtime: Config<typeof runtimeEnv>;
  /** http://host:port of the app or of the metrics server. */
  readonly address: string;
  readonly port: number;
  /** The fastify app, for services that have one (tests use `app.inject()`). */
  readonly app: FastifyInstance | undefined;
  readonly parts: P | undefined;
  /** Settles when the service stopped: resolves after stop(), rejects after a watched task failed. */
  readonly done: Promise<void>;
  /** Stops the service: every resource closed, newest first. Rejects if one failed to close. */
  stop(reason?: string): Promise<void>;
}

export interface StartOptions {
  /** Where the configuration is read from (default: the process environment). */
  readonly env?: EnvSource;
  /** Default: JSON lines on stderr at the configured LOG_LEVEL. */
  readonly logger?: Logger;
  /** Aborting it stops a start that waits for a dependency (runService: a signal during the start). */
  readonly signal?: AbortSignal;
}

/** While a dependency is down at start: 250 ms, doubling, at most 5 s apart (its return is noticed within 5 s). */
const startupBackoff: BackoffPolicy = Object.freeze({ initialBackoffMs: 250, maxBackoffMs: 5000 });

/** Identity, typed: `export const gateway = defineService({ name, config, start })`. */
export function defineService<const S extends ConfigSpec, P = undefined>(
  definition: ServiceDefinition<S, P>,
): ServiceDefinition<S, P> {
  return definition;
}

/**
 * Starts a service the same way in production (runService) and in tests: loads and checks its
 * configuration, logs it (secrets masked), builds its logger and registry, runs `start` with
 * resources acquired in order, then listens. A failure releases what was acquired and throws a
 * ConfigError or StartupError whose message is the one line to print.
 */
export async function startService<const S extends ConfigSpec, P>(
  definition: ServiceDefinition<S, P>,
  options: StartOptions = {},
): Promise<RunningService<ServiceConfig<S>, P>> {
  const { name } = definition;
  const spec = { ...runtimeEnv, ...definition.config } as S & typeof runtimeEnv;
  const config = loadConfig(spec, options.env) as ServiceConfig<S>;
  const runtime = loadConfig(runtimeEnv, options.env);
  const problems = definition.checkConfig?.(config) ?? [];
  if (problems.length > 0) throw new SettingsError(name, problems);
  const logger = options.logger ?? createConsoleLogger(runtime.logLevel, undefined, { service: name });
  logger.info(`${name} starting`, describeConfig(spec, config));

  const registry = createServiceRegistry(name);
  const startupWaits = new Counter({
    name: 'streamkit_startup_waits_total',
    help: 'Failed attempts of a start step whose dependency was down (each one waited out, then retried)',
    labelNames: ['step', 'reason'] as const,
    registers: [registry],
  });
  const starting = createStartingServer(listenTarget(config), registry, logger);
  // a stop during the start (a signal, a failed task) ends a step's wait at once
  const startAbort = new AbortController();
  if (options.signal?.aborted === true) startAbort.abort();
  else options.signal?.addEventListener('abort', () => startAbort.abort(), { once: true });
  const resources = createResourceStack(name, logger, {
    backoff: startupBackoff,
    maxWaitMs: runtime.startupWaitMs,
    signal: startAbort.signal,
    onWait: (step, reason) => {
      startupWaits.inc({ step, reason });
      starting.waiting(step, reason);
    },
  });
  const timers: NodeJS.Timeout[] = [];
  let failStopped: (error: unknown) => void = () => undefined;
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stopped = resolve;
    failStopped = reject;
  });
  done.catch(() => undefined); // callers that await `done` still see the failure

  let markListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (markListening = resolve));
  let stopping: Promise<void> | undefined;
  let failedTask: { readonly task: string; readonly error: unknown } | undefined;
  function stop(reason = 'stop requested', failure?: unknown): Promise<void> {
    stopping ??= (async () => {
      logger.info(`${name} stopping (${reason})`);
      startAbort.abort();
      for (const timer of timers) clearInterval(timer);
      try {
        await starting.close().catch(() => undefined);
        await resources.release();
      } finally {
        if (failure === undefined) stopped();
        else failStopped(failure);
      }
    })();
    return stopping;
  }

  const context: ServiceContext<ServiceConfig<S>> = {
    name,
    config,
    logger,
    registry,
    acquire: (step, open, close) => resources.acquire(step, open, close),
    watch(task, taskDone, options = {}) {
      taskDone.then(
        () => {
          // a task that finishes while the service is still starting stops it once it is up
          if (options.stopWhenDone === true)
            void listening.then(() => stop(`${task} finished`)).catch(() => undefined);
        },
        (error: unknown) => {
          failedTask ??= { task, error };
          logger.error(`${task} failed: ${describeError(error)}`);
          void stop(`${task} failed`, error).catch(() => undefined);
        },
      );
    },
    every(task, intervalMs, run) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return; // a slow run is not stacked on
        busy = true;
        run()
          .catch((error: unknown) =>
            logger.warn(`${task} failed, will retry`, { error: describeError(error) }),
          )
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      timer.unref();
      timers.push(timer);
    },
  };

  try {
    const endpoint = await definition.start(context);
    await starting.close();
    const served = await resources.acquire(
      'app' in endpoint ? 'http server' : 'metrics server',
      () => listen(endpoint, context.registry),
      (server) => server.close(),
    );
    logger.info(`${name} running`, { address: served.address });
    markListening();
    return {
      name,
      config,
      logger,
      runtime,
      address: served.address,
      port: served.port,
      app: 'app' in endpoint ? endpoint.app : undefined,
      parts: endpoint.parts,
      done,
      stop: (reason) => stop(reason),
    };
  } catch (error) {
    await stop(startAbort.signal.aborted ? 'stopped while starting' : 'startup failure').catch(
      () => undefined,
    );
    // a watched task that failed while the service was starting is what failed, not the step it interrupted
    if (failedTask !== undefined) throw new StartupError(name, failedTask.task, failedTask.error);
    throw error instanceof StartupError ? error : new StartupError(name, 'start', error);
  }
}

async function listen<P>(
  endpoint: ServiceEndpoint<P>,
  registry: Registry,
): Promise<{ address: string; port: number; close(): Promise<void> }> {
  if ('app' in endpoint) {
    const { app } = endpoint;
    const address = await app.listen({ port: endpoint.port, host: endpoint.host ?? '0.0.0.0' });
    const bound = app.server.address();
    return {
      address,
      port: typeof bound === 'object' && bound !== null ? bound.port : endpoint.port,
      close: () => app.close(),
    };
  }
  return startObservabilityServer({ ...endpoint.metrics, registry });
}

/** The one line a failed start prints: what failed, no stack. */
export function startupFailureLine(name: string, error: unknown): string {
  if (error instanceof ConfigError) {
    const problems = error.problems.map((p) => `${p.variable}: ${p.message}`).join('; ');
    return `${name} failed to start: invalid configuration: ${problems}`;
  }
  if (error instanceof StartupError) return error.message;
  if (error instanceof SettingsError) return `${name} failed to start: ${error.message}`;
  return `${name} failed to start: ${describeError(error)}`;
}

import { type ConfigSpec, type EnvSource, loadConfig } from '@streamkit/config';
import { describeError } from './errors.ts';
import { createConsoleLogger, type Logger } from './logger.ts';
import { runtimeEnv } from './runtime-env.ts';
import { type RunningService, type ServiceDefinition, startService, startupFailureLine } from './service.ts';
import { createGracefulShutdown, type SignalSource } from './shutdown.ts';

export interface RunServiceOptions {
  /** Where the configuration is read from (default: the process environment), e.g. with a command's arguments. */
  readonly env?: EnvSource;
  /** Default: the current process (its signals, its exit). */
  readonly source?: SignalSource;
  readonly exit?: (code: number) => void;
}

/**
 * A service's `main.ts`: `await runService(gatewayService)`. Starts it (a failure prints one line
 * naming what failed and exits 1), stops it gracefully on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS
 * (a signal during the start stops it as soon as it is up), and exits 1 when a watched task fails or
 * a resource does not close cleanly, 0 otherwise.
 */
export async function runService<const S extends ConfigSpec, P>(
  definition: ServiceDefinition<S, P>,
  options: RunServiceOptions = {},
): Promise<void> {
  const { name } = definition;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  // the signal handlers go in before the start; a bad LOG_LEVEL is reported by startService itself
  const runtime = attempt(() => loadConfig(runtimeEnv, options.env));
  // the shutdown's own lines use the service's logger once it exists
  let logger: Logger = createConsoleLogger(runtime?.logLevel ?? 'info', undefined, { service: name });
  const forward: Logger = {
    error: (message, fields) => logger.error(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    info: (message, fields) => logger.info(message, fields),
    debug: (message, fields) => logger.debug(message, fields),
  };
  let failed = false;
  let running: RunningService<unknown, P> | undefined;
  // a signal while a start step waits for a dependency ends the wait: the service stops, exit 0
  const startAbort = new AbortController();
  const starting = startService(definition, {
    signal: startAbort.signal,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const shutdown = createGracefulShutdown({
    logger: forward,
    timeoutMs: runtime?.shutdownTimeoutMs ?? 30_000,
    exit: (code) => exit(failed ? 1 : code),
    ...(options.source === undefined ? {} : { source: options.source }),
  });
  shutdown.add(name, async () => {
    startAbort.abort();
    await (await starting.catch(() => undefined))?.stop('signal');
  });

  try {
    running = await starting;
  } catch (error) {
    // stopped by a signal before it was up: the shutdown in progress exits (0), nothing failed
    if (startAbort.signal.aborted) return;
    shutdown.dispose();
    createConsoleLogger('error', undefined, { service: name }).error(startupFailureLine(name, error));
    exit(1);
    return;
  }
  logger = running.logger;
  running.done.then(
    // a service that stopped itself (a bounded task finished) exits like after a signal
    () => void shutdown.shutdown('finished'),
    (error: unknown) => {
      failed = true;
      logger.error(`${name} crashed: ${describeError(error)}`);
      void shutdown.shutdown('crash');
    },
  );
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

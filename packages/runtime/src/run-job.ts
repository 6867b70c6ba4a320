import type { ConfigSpec, EnvSource } from '@streamkit/config';
import { describeError } from './errors.ts';
import { createConsoleLogger } from './logger.ts';
import type { RunServiceOptions } from './run-service.ts';
import { type ServiceDefinition, startService, startupFailureLine } from './service.ts';
import { createGracefulShutdown } from './shutdown.ts';

/** What a job's `start` returns in `parts`: the work, run once the job's resources are acquired. */
export interface JobParts {
  run(): Promise<unknown>;
}

export interface RunJobOptions extends RunServiceOptions {
  /** Where the configuration is read from (default: the process environment). */
  readonly env?: EnvSource;
}

/**
 * A one-shot command's `main.ts`: `await runJob(trainerJob)`. A job is a service definition whose
 * `start` acquires what the work needs and returns the work as `parts.run`. runJob starts it (a
 * failure prints one line naming what failed, exit 1), runs the work, stops the job (resources
 * released newest first) and exits 0 — or 1 with one line naming what failed. SIGTERM/SIGINT stop
 * the job, which releases the work's resources under it (an abort signal acquired as a resource
 * fires); the exit code is then the work's.
 */
export async function runJob<const S extends ConfigSpec, P extends JobParts>(
  definition: ServiceDefinition<S, P>,
  options: RunJobOptions = {},
): Promise<void> {
  const { name } = definition;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let job: Awaited<ReturnType<typeof startService<S, P>>>;
  // a signal while a start step waits for a dependency ends the wait: the job stops, exit 0
  const startAbort = new AbortController();
  const source = options.source ?? process;
  const abortStart = () => startAbort.abort();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) source.once(signal, abortStart);
  try {
    job = await startService(definition, {
      signal: startAbort.signal,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  } catch (error) {
    if (startAbort.signal.aborted) {
      createConsoleLogger('info', undefined, { service: name }).info(`${name} stopped while starting`);
      exit(0);
      return;
    }
    createConsoleLogger('error', undefined, { service: name }).error(startupFailureLine(name, error));
    exit(1);
    return;
  } finally {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) source.off(signal, abortStart);
  }
  const shutdown = createGracefulShutdown({
    logger: job.logger,
    timeoutMs: job.runtime.shutdownTimeoutMs,
    // a clean stop leaves the exit code to the work's end; a stop past the deadline, or one that
    // failed, exits 1 at once
    exit: (stopCode) => {
      if (stopCode !== 0) exit(stopCode);
    },
    ...(options.source === undefined ? {} : { source: options.source }),
  });
  shutdown.add(name, () => job.stop('signal'));
  let code = 0;
  try {
    await job.parts?.run();
  } catch (error) {
    code = 1;
    job.logger.error(`${name} failed: ${describeError(error)}`);
  }
  shutdown.dispose();
  try {
    await job.stop(code === 0 ? 'done' : 'failed');
  } catch {
    code = 1; // the resource stack logged what did not close
  }
  exit(code);
}

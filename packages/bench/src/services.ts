/**
 * Starts the services of a pipeline the way `pnpm demo` does (same spawn, readiness and stop
 * code from @streamkit/demo), but only those the bench plan names, and quietly: service output is
 * kept as a short tail per service to describe a crash, not printed.
 */
import {
  type DemoInfrastructure,
  type DemoOutput,
  type DemoPipeline,
  describeExit,
  infrastructureEnv,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
  waitUntilReady,
} from '@streamkit/demo';
import { BenchError } from './errors.ts';

export interface RunningServices {
  readonly processes: readonly ServiceProcess[];
  /** A description of each service that exited while it should have been running. */
  crashes(): readonly string[];
  /** The last output lines of a service (for error messages). */
  tailOf(name: string): readonly string[];
  stop(): Promise<void>;
}

export interface StartServicesRequest {
  readonly pipeline: DemoPipeline;
  readonly serviceNames: readonly string[];
  readonly infra: DemoInfrastructure;
  /** The parent's environment (from @streamkit/config's processEnvironment). */
  readonly parentEnv: Readonly<Record<string, string>>;
  /** On top of everything else (isolation prefixes, KAFKA_CLIENT). */
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly log: (line: string) => void;
  /** Aborting abandons startup (Ctrl-C). */
  readonly signal: AbortSignal;
}

const tailLines = 20;

export async function startServices(request: StartServicesRequest): Promise<RunningServices> {
  const { pipeline } = request;
  const missing = request.serviceNames.filter((n) => !pipeline.services.some((s) => s.name === n));
  if (missing.length > 0) {
    throw new BenchError(`pipeline ${pipeline.name} has no service ${missing.join(', ')}`, {
      retriable: false,
    });
  }
  const tails = new Map<string, string[]>();
  const output: DemoOutput = {
    info: () => {},
    error: (message) => request.log(message),
    block: () => {},
    serviceLine(service, _stream, line) {
      const tail = tails.get(service) ?? [];
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
      tails.set(service, tail);
    },
  };
  const started: ServiceProcess[] = [];
  const crashes: string[] = [];
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await stopServices(started, { timeoutMs: request.stopTimeoutMs, output, force: new Promise(() => {}) });
  };
  try {
    for (const service of pipeline.services.filter((s) => request.serviceNames.includes(s.name))) {
      const env = {
        ...request.parentEnv,
        ...infrastructureEnv(request.infra),
        ...service.env?.(request.infra),
        ...request.extraEnv,
      };
      const running = await startServiceProcess(service, env, output);
      started.push(running);
      void running.exited.then((exit) => {
        if (!stopping) crashes.push(`${service.name} exited with ${describeExit(exit)}`);
      });
      try {
        await waitUntilReady(
          running,
          service.ready,
          service.readyTimeoutMs ?? request.readyTimeoutMs,
          request.signal,
        );
      } catch (error) {
        const tail = (tails.get(service.name) ?? []).slice(-5).join('\n    ');
        throw new BenchError(`${(error as Error).message}${tail ? `\n    ${tail}` : ''}`, {
          retriable: true,
          cause: error,
        });
      }
      if (request.signal.aborted) break;
      request.log(`${service.name} is ready (pid ${running.pid})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    processes: started,
    crashes: () => [...crashes],
    tailOf: (name) => tails.get(name) ?? [],
    stop,
  };
}

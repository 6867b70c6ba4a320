import { DemoError } from './errors.ts';
import type { DemoOutput } from './output.ts';
import { waitUntilReady } from './readiness.ts';
import {
  describeExit,
  type ServiceExit,
  type ServiceProcess,
  startServiceProcess,
} from './service-process.ts';
import { stopServices } from './stop-services.ts';
import type { DemoInfrastructure, DemoPipeline, InfrastructureNeed } from './types.ts';
import { formatUrlBox } from './url-box.ts';

/** Stop requests from outside (SIGINT/SIGTERM): the first stops gracefully, the second forces. */
export interface StopRequests {
  readonly first: Promise<string>;
  readonly second: Promise<string>;
}

export interface RunDemoDependencies {
  readonly provision: (needs: readonly InfrastructureNeed[]) => Promise<DemoInfrastructure>;
  /** The parent's environment, passed on to every service beneath the infrastructure variables. */
  readonly parentEnv: Readonly<Record<string, string>>;
  readonly output: DemoOutput;
  readonly stopRequests: StopRequests;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Told about every started service, so the caller can kill leftovers if it is itself killed. */
  readonly onServiceStarted?: (service: ServiceProcess) => void;
}

type Interrupt =
  | { readonly kind: 'stop'; readonly signal: string }
  | { readonly kind: 'crash'; readonly service: string; readonly exit: ServiceExit };

export function infrastructureEnv(infra: DemoInfrastructure): Record<string, string> {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    MQTT_URL: infra.mqttUrl,
  };
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `pipeline` until a stop request or a crash: provision → prepare → start each service and wait
 * until it is ready → print the URLs → wait → stop in reverse order. Returns the process exit code:
 * 0 only when the user stopped it and every service stopped cleanly.
 */
export async function runDemo(pipeline: DemoPipeline, deps: RunDemoDependencies): Promise<number> {
  const { output } = deps;
  const started: ServiceProcess[] = [];
  let stopping = false;
  let reportCrash: (interrupt: Interrupt) => void = () => {};
  const crashed = new Promise<Interrupt>((resolve) => {
    reportCrash = resolve;
  });
  const interrupted = Promise.race([
    deps.stopRequests.first.then((signal): Interrupt => ({ kind: 'stop', signal })),
    crashed,
  ]);
  const cancelStartup = new AbortController();
  void interrupted.then(() => cancelStartup.abort());

  const startAll = async (infra: DemoInfrastructure) => {
    for (const service of pipeline.services) {
      if (cancelStartup.signal.aborted) return;
      const env = { ...deps.parentEnv, ...infrastructureEnv(infra), ...service.env?.(infra) };
      const running = await startServiceProcess(service, env, output);
      started.push(running);
      deps.onServiceStarted?.(running);
      output.info(`started ${service.name} (pid ${running.pid})`);
      const oneShot = 'completes' in service.ready;
      void running.exited.then((exit) => {
        // a one-shot step's exit with code 0 is its success, not a crash
        if (!stopping && !(oneShot && exit.code === 0))
          reportCrash({ kind: 'crash', service: service.name, exit });
      });
      const timeout = service.readyTimeoutMs ?? deps.readyTimeoutMs;
      await waitUntilReady(running, service.ready, timeout, cancelStartup.signal);
      if (!cancelStartup.signal.aborted) output.info(`${service.name} ${oneShot ? 'completed' : 'is ready'}`);
    }
    const rows = pipeline.services.flatMap((s) =>
      s.url === undefined ? [] : [{ name: s.name, url: s.url }],
    );
    if (!cancelStartup.signal.aborted) {
      output.block(
        formatUrlBox(`streamkit demo: ${pipeline.name} is ready`, rows, 'Ctrl-C stops everything'),
      );
      for (const note of pipeline.readyNotes ?? []) output.info(note);
    }
  };

  let failure: string | undefined;
  try {
    const infra = await raceInterrupt(deps.provision(pipeline.needs), interrupted);
    if (infra !== undefined && pipeline.prepare !== undefined) {
      output.info(`preparing ${pipeline.name}`);
      await raceInterrupt(pipeline.prepare(infra), interrupted);
    }
    if (infra !== undefined) await startAll(infra);
    const interrupt = await interrupted;
    if (interrupt.kind === 'crash') {
      failure = `${interrupt.service} exited unexpectedly with ${describeExit(interrupt.exit)}`;
    } else {
      output.info(`${interrupt.signal} received: stopping ${pipeline.name}`);
    }
  } catch (error) {
    failure = error instanceof DemoError ? error.message : `demo failed: ${describeError(error)}`;
  }

  stopping = true;
  if (failure !== undefined) output.error(`${failure}; stopping the other services`);
  const clean = await stopServices(started, {
    timeoutMs: deps.stopTimeoutMs,
    output,
    force: deps.stopRequests.second,
  });
  if (failure !== undefined) return 1;
  if (!clean) {
    output.error('not every service stopped on SIGTERM');
    return 1;
  }
  output.info(`${pipeline.name} stopped`);
  return 0;
}

/** The value of `work`, or undefined when a stop request or crash came first. */
async function raceInterrupt<T>(work: Promise<T>, interrupted: Promise<Interrupt>): Promise<T | undefined> {
  // If the interrupt wins, a later failure of the abandoned work must not surface as unhandled.
  work.catch(() => {});
  const result = await Promise.race([
    work.then((value) => ({ done: true as const, value })),
    interrupted.then(() => ({ done: false as const })),
  ]);
  return result.done ? result.value : undefined;
}

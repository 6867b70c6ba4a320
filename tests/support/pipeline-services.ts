// Runs a demo pipeline's services as real local processes on free ports, isolated by the caller's
// environment overrides, so a test can scrape what each service really exports.
import { processEnvironment } from '@streamkit/config';
import {
  type DemoInfrastructure,
  type DemoOutput,
  type DemoPipeline,
  type DemoService,
  describeExit,
  infrastructureEnv,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
} from '@streamkit/demo';
import { freePort, waitFor } from '@streamkit/testkit';

export interface RunningService {
  readonly name: string;
  readonly metricsUrl: string;
  readonly process: ServiceProcess;
  /** Everything the process wrote so far (for assertion messages). */
  output(): string;
}

export interface RunningPipeline {
  readonly services: readonly RunningService[];
  stop(): Promise<void>;
}

export interface StartPipelineOptions {
  readonly infra: DemoInfrastructure;
  /** Services left out (load generators the test does not need). */
  readonly skip: readonly string[];
  /** Isolation on top of the demo's own environment: topic prefix, database, key prefix, paths. */
  readonly env: Record<string, string>;
  readonly readyTimeoutMs: number;
}

function readyHttpUrl(service: DemoService): string {
  if (!('http' in service.ready))
    throw new Error(`${service.name}: needs an HTTP ready URL to find its port`);
  return service.ready.http;
}

const demoPort = (service: DemoService) => Number(new URL(readyHttpUrl(service)).port);

/**
 * The demo's fixed ports would collide with a demo someone else runs, so every port a service
 * listens on, and every URL another service reaches it by, moves to a free one.
 */
function remapPorts(value: string, ports: ReadonlyMap<number, number>): string {
  const exact = ports.get(Number(value));
  if (/^\d+$/.test(value) && exact !== undefined) return String(exact);
  return value.replace(/:(\d+)(?=\/|$)/g, (match, port: string) => {
    const moved = ports.get(Number(port));
    return moved === undefined ? match : `:${moved}`;
  });
}

/** Keeps each service's last lines for failure messages instead of printing them. */
function keepingOutput(lines: Map<string, string[]>): DemoOutput {
  return {
    info: () => {},
    error: () => {},
    block: () => {},
    serviceLine: (service, _stream, line) => {
      const kept = lines.get(service) ?? [];
      kept.push(line);
      if (kept.length > 200) kept.shift();
      lines.set(service, kept);
    },
  };
}

export async function startPipelineServices(
  pipeline: DemoPipeline,
  options: StartPipelineOptions,
): Promise<RunningPipeline> {
  // one-shot steps (the model bootstraps) are left out: once done they serve nothing to scrape, and
  // the long-running services start without them (a detector without a model decides by rules)
  const longRunning = pipeline.services.filter((s) => !('completes' in s.ready));
  const chosen = longRunning.filter((s) => !options.skip.includes(s.name));
  const ports = new Map<number, number>();
  for (const service of longRunning) ports.set(demoPort(service), await freePort());

  const lines = new Map<string, string[]>();
  const output = keepingOutput(lines);
  const started: RunningService[] = [];
  const stop = async () => {
    await stopServices(
      started.map((s) => s.process),
      { timeoutMs: 10_000, output, force: new Promise(() => {}) },
    );
  };
  try {
    for (const service of chosen) {
      const own = Object.fromEntries(
        Object.entries(service.env?.(options.infra) ?? {}).map(([k, v]) => [k, remapPorts(v, ports)]),
      );
      const env = processEnvironment({ ...infrastructureEnv(options.infra), ...own, ...options.env });
      const child = await startServiceProcess(service, env, output);
      const readyUrl = remapPorts(readyHttpUrl(service), ports);
      const running: RunningService = {
        name: service.name,
        metricsUrl: new URL('/metrics', readyUrl).toString(),
        process: child,
        output: () => (lines.get(service.name) ?? []).join('\n'),
      };
      started.push(running);
      const ready = waitFor(
        async () => {
          const response = await fetch(readyUrl).catch(() => undefined);
          return response !== undefined && response.status < 400;
        },
        {
          timeoutMs: options.readyTimeoutMs,
          intervalMs: 200,
          message: `${service.name} ready at ${readyUrl}`,
        },
      );
      const crashed = child.exited.then((exit) => {
        throw new Error(`${service.name} exited (${describeExit(exit)}):\n${running.output()}`);
      });
      await Promise.race([ready, crashed]);
      crashed.catch(() => {}); // a later exit is reported by the scrape, not as an unhandled rejection
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { services: started, stop };
}

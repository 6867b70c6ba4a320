/**
 * The pipeline's service instances during a chaos run, started the way `pnpm demo` starts them
 * (@streamkit/demo's spawn, readiness and stop), each on ports of its own. A service that exits
 * without being told to is restarted, as a supervisor would, and counted.
 */
import { appendFileSync } from 'node:fs';
import {
  type DemoInfrastructure,
  type DemoOutput,
  describeExit,
  infrastructureEnv,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
  waitUntilReady,
} from '@streamkit/demo';
import { onEmergency } from './emergency.ts';
import { freePort } from './infra/ports.ts';
import type { ChaosServiceSpec } from './plan.ts';

export interface Instance {
  readonly spec: ChaosServiceSpec;
  readonly replica: number;
  readonly port: number;
  /** e.g. "detector" or "detector#2" */
  readonly label: string;
  process: ServiceProcess;
}

export interface FleetSettings {
  readonly infra: DemoInfrastructure;
  readonly parentEnv: Readonly<Record<string, string>>;
  readonly readyTimeoutMs: number;
  /** Every service line goes here (the run's services.log). */
  readonly logFile: string;
  readonly log: (line: string) => void;
}

export interface Fleet {
  readonly instances: readonly Instance[];
  startAll(specs: readonly ChaosServiceSpec[]): Promise<void>;
  /** kill -9 of the instance's process group, then the same instance again (same port). */
  killAndRestart(instance: Instance): Promise<void>;
  /** A further replica of `spec` on a new port. */
  addReplica(spec: ChaosServiceSpec): Promise<Instance>;
  /** SIGTERM to an extra replica (graceful leave: its partitions move to the others). */
  removeReplica(instance: Instance): Promise<void>;
  /** Exits nobody asked for (each was restarted). */
  unexpectedExits(): readonly string[];
  stopAll(): Promise<boolean>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createFleet(settings: FleetSettings): Fleet {
  const instances: Instance[] = [];
  const expectedExit = new Set<ServiceProcess>();
  const unexpected: string[] = [];
  let stopping = false;
  onEmergency(() => {
    for (const instance of instances) instance.process.signal('SIGKILL');
  });
  const output: DemoOutput = {
    info: () => {},
    error: (message) => settings.log(message),
    block: () => {},
    serviceLine(service, stream, line) {
      try {
        appendFileSync(settings.logFile, `${new Date().toISOString()} ${service} ${stream}: ${line}\n`);
      } catch {
        // the output directory went away: the run goes on without its log
      }
    },
  };

  const spawnInstance = async (spec: ChaosServiceSpec, replica: number, port: number, label: string) => {
    if (stopping) throw new Error(`${label}: not started, the run is stopping`);
    const service = { ...spec.instance(port, replica), name: label.replace('#', '-') };
    const env = {
      ...settings.parentEnv,
      ...infrastructureEnv(settings.infra),
      ...service.env?.(settings.infra),
    };
    const child = await startServiceProcess(service, env, output);
    const ready = waitUntilReady(
      child,
      service.ready,
      service.readyTimeoutMs ?? settings.readyTimeoutMs,
      new AbortController().signal,
    );
    return { child, ready };
  };

  /**
   * Starts the instance's process until one is ready: a service that exits before it is ready (its
   * broker is still coming back) is started again, as a supervisor would, until the deadline.
   */
  const launch = async (instance: Omit<Instance, 'process'> & { process?: ServiceProcess }) => {
    const deadline = Date.now() + settings.readyTimeoutMs;
    for (;;) {
      const { child, ready } = await spawnInstance(
        instance.spec,
        instance.replica,
        instance.port,
        instance.label,
      );
      instance.process = child;
      try {
        await ready;
        supervise(instance as Instance);
        return instance as Instance;
      } catch (error) {
        if (stopping || !child.hasExited() || Date.now() > deadline) throw error;
        const exit = describeExit(await child.exited);
        unexpected.push(`${instance.label} exited before it was ready (${exit})`);
        settings.log(`${instance.label} exited before it was ready (${exit}): starting it again`);
        await pause(1000);
      }
    }
  };

  const supervise = (instance: Instance) => {
    const watched = instance.process;
    void watched.exited.then(async (exit) => {
      if (stopping || expectedExit.has(watched) || instance.process !== watched) return;
      unexpected.push(`${instance.label} exited with ${describeExit(exit)}`);
      settings.log(`${instance.label} exited by itself (${describeExit(exit)}): restarting it`);
      await launch(instance).catch((error: unknown) =>
        settings.log(`${instance.label} did not come back: ${(error as Error).message}`),
      );
    });
  };

  const add = async (spec: ChaosServiceSpec, replica: number): Promise<Instance> => {
    const port = await freePort();
    const label = replica === 0 ? spec.name : `${spec.name}#${replica + 1}`;
    const instance = await launch({ spec, replica, port, label });
    instances.push(instance);
    return instance;
  };

  return {
    instances,
    async startAll(specs) {
      for (const spec of specs) {
        const instance = await add(spec, 0);
        settings.log(`${instance.label} is ready (pid ${instance.process.pid}, port ${instance.port})`);
      }
    },
    async killAndRestart(instance) {
      const killed = instance.process;
      expectedExit.add(killed);
      killed.signal('SIGKILL');
      await killed.exited;
      await launch(instance);
    },
    async addReplica(spec) {
      const replica = Math.max(...instances.filter((i) => i.spec === spec).map((i) => i.replica)) + 1;
      return add(spec, replica);
    },
    async removeReplica(instance) {
      expectedExit.add(instance.process);
      await stopServices([instance.process], { timeoutMs: 15_000, output, force: new Promise(() => {}) });
      instances.splice(instances.indexOf(instance), 1);
    },
    unexpectedExits: () => [...unexpected],
    async stopAll() {
      stopping = true;
      const clean = await stopServices(
        instances.map((i) => i.process),
        { timeoutMs: 15_000, output, force: new Promise(() => {}) },
      );
      // a restart that was under way when the stop began has replaced a process since: kill it too
      for (const instance of instances) instance.process.signal('SIGKILL');
      return clean;
    },
  };
}

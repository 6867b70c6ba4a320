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

export function createFleet(settings: FleetSettings): Fleet {
  const instances: Instance[] = [];
  const expectedExit = new Set<ServiceProcess>();
  const unexpected: string[] = [];
  let stopping = false;
  const output: DemoOutput = {
    info: () => {},
    error: (message) => settings.log(message),
    block: () => {},
    serviceLine(service, stream, line) {
      appendFileSync(settings.logFile, `${new Date().toISOString()} ${service} ${stream}: ${line}\n`);
    },
  };

  const spawnInstance = async (spec: ChaosServiceSpec, replica: number, port: number, label: string) => {
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

  const supervise = (instance: Instance) => {
    const watched = instance.process;
    void watched.exited.then(async (exit) => {
      if (stopping || expectedExit.has(watched) || instance.process !== watched) return;
      unexpected.push(`${instance.label} exited with ${describeExit(exit)}`);
      settings.log(`${instance.label} exited by itself (${describeExit(exit)}): restarting it`);
      await restart(instance).catch((error: unknown) =>
        settings.log(`${instance.label} did not come back: ${(error as Error).message}`),
      );
    });
  };

  const restart = async (instance: Instance) => {
    const { child, ready } = await spawnInstance(
      instance.spec,
      instance.replica,
      instance.port,
      instance.label,
    );
    instance.process = child;
    supervise(instance);
    await ready;
  };

  const add = async (spec: ChaosServiceSpec, replica: number): Promise<Instance> => {
    const port = await freePort();
    const label = replica === 0 ? spec.name : `${spec.name}#${replica + 1}`;
    const { child, ready } = await spawnInstance(spec, replica, port, label);
    const instance: Instance = { spec, replica, port, label, process: child };
    instances.push(instance);
    supervise(instance);
    await ready;
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
      await restart(instance);
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
      return stopServices(
        instances.map((i) => i.process),
        { timeoutMs: 15_000, output, force: new Promise(() => {}) },
      );
    },
  };
}

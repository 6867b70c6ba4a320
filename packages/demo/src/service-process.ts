import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ServiceStartError } from './errors.ts';
import type { DemoOutput } from './output.ts';
import type { DemoService } from './types.ts';

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One started service: a child process leading its own process group. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ServiceExit>;
  hasExited(): boolean;
  /** Calls `listener` with every output line (stdout and stderr) until the returned function is called. */
  onLine(listener: (line: string) => void): () => void;
  /** Signals the whole process group, so helpers the service spawned go too; no-op once gone. */
  signal(signal: NodeJS.Signals): void;
}

export function describeExit(exit: ServiceExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Spawns `service` with `env` as its whole environment. The child gets its own process group
 * (detached) so a terminal's Ctrl-C reaches only the runner, which then stops services in order.
 */
export async function startServiceProcess(
  service: DemoService,
  env: Record<string, string>,
  output: DemoOutput,
): Promise<ServiceProcess> {
  const [file, ...args] = service.command;
  if (file === undefined) throw new ServiceStartError(service.name, 'empty command');
  // 'node' means the runner's own binary: PATH may point at an older Node than the one running us.
  const executable = file === 'node' ? process.execPath : file;
  const child = spawn(executable, args, {
    cwd: service.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });

  const spawned = await new Promise<{ ok: true } | { ok: false; error: Error }>((resolve) => {
    child.once('spawn', () => resolve({ ok: true }));
    child.once('error', (error) => resolve({ ok: false, error }));
  });
  const pid = child.pid;
  if (!spawned.ok || pid === undefined) {
    const error = spawned.ok ? new Error('no pid') : spawned.error;
    throw new ServiceStartError(
      service.name,
      `cannot run ${service.command.join(' ')}: ${error.message}`,
      error,
    );
  }

  let exitedYet = false;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedYet = true;
      // Leftovers in the group (the leader's helpers) would be orphaned now: remove them.
      signalGroup(pid, 'SIGKILL');
      resolve({ code, signal });
    });
  });

  const lineListeners = new Set<(line: string) => void>();
  const forward = (stream: Readable, name: 'stdout' | 'stderr') => {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      output.serviceLine(service.name, name, line);
      for (const listener of lineListeners) listener(line);
    });
  };
  forward(child.stdout, 'stdout');
  forward(child.stderr, 'stderr');

  return {
    name: service.name,
    pid,
    exited,
    hasExited: () => exitedYet,
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    signal(signal) {
      if (!exitedYet) signalGroup(pid, signal);
    },
  };
}

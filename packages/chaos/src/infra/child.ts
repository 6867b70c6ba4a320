/** A long-running infrastructure process (postgres, redis-server, mosquitto) started by the chaos run. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { onEmergency } from '../emergency.ts';

export interface InfraProcess {
  readonly pid: number;
  /** The last lines it printed (for error messages). */
  tail(): string;
  hasExited(): boolean;
  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

/** Who runs the process (PostgreSQL refuses to run as root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export function spawnInfra(file: string, args: readonly string[], runAs?: RunAs): InfraProcess {
  const child: ChildProcess = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...runAs });
  let output = '';
  let exited = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const forget = onEmergency(() => child.kill('SIGKILL'));
  const exit = once(child, 'exit').then(() => {
    exited = true;
    forget();
  });
  child.once('error', (error) => {
    keep(Buffer.from(`${error.message}\n`));
    exited = true;
  });
  return {
    pid: child.pid ?? -1,
    tail: () => output.trim().split('\n').slice(-8).join('\n'),
    hasExited: () => exited,
    async stop(signal, timeoutMs = 30_000) {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Does anything accept a TCP connection on 127.0.0.1:port right now? */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` every 100 ms until it is true; throws `describe()` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${describe()}: not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

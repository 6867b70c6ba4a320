import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for assertion messages). */
  output(): string;
  /** Sends `signal` (SIGKILL for a crash, SIGTERM for a graceful stop) and resolves with how it ended. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServiceProcesses {
  /** Runs `node <entry>` in `cwd` with exactly `env`, capturing its output. */
  start(
    entry: string,
    options: { cwd: string; env: NodeJS.ProcessEnv; args?: readonly string[] },
  ): ServiceProcess;
  /** SIGKILLs every process still running: call it in afterAll so a failed test leaves none behind. */
  killAll(): void;
}

/** Real service processes for crash tests (`kill -9` mid-stream, restart, compare with a reference). */
export function createServiceProcesses(): ServiceProcesses {
  const children: ChildProcess[] = [];
  return {
    start(entry, { cwd, env, args = [] }) {
      const child = spawn(process.execPath, [entry, ...args], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      const append = (chunk: Buffer) => {
        output += chunk.toString();
      };
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      return {
        child,
        output: () => output,
        async stop(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          const [code, by] = await exited;
          return { code, signal: by };
        },
      };
    },
    killAll() {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

// Test helper: runs `node packages/demo/src/cli.ts …` as a real child process and watches its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';

export const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
export const fixtureAppsRoot = fileURLToPath(new URL('./fixtures/apps/', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Pid the runner printed for `service` ("started <service> (pid N)"), once it has. */
  servicePid(service: string): number | undefined;
}

export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: processEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    output: () => text,
    exited,
    servicePid(service) {
      const match = new RegExp(`started ${service} \\(pid (\\d+)\\)`).exec(text);
      return match?.[1] === undefined ? undefined : Number(match[1]);
    },
  };
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Test clean-up: kills a runner and the services it printed, if a test left any running. */
export function killLeftovers(cli: CliProcess, services: readonly string[]): void {
  for (const pid of services.map((s) => cli.servicePid(s))) {
    if (pid !== undefined && processExists(pid)) process.kill(pid, 'SIGKILL');
  }
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
}

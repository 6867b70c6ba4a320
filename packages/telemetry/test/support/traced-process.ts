import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface TracedProcess {
  readonly child: ChildProcess;
  /** Settles when the process ended. */
  readonly exit: Promise<Exit>;
  /** What it wrote to stdout so far. */
  stdout(): string;
}

/** `node --import @streamkit/telemetry/register <entry> <args>`, as every service starts. */
export function startTracedProcess(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
): TracedProcess {
  const child = spawn(process.execPath, ['--import', '@streamkit/telemetry/register', entry, ...args], {
    cwd: packageDir,
    env: processEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit, stdout: () => stdout };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { freePort } from './free-port.ts';
import { probeRedis } from './probes.ts';
import { waitFor } from './wait-for.ts';

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> — the same address across stop() and start(). */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then waits for its exit): its clients see the outage. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
}

/**
 * A `redis-server` of the test's own on a free port, to take down and bring back while a service
 * uses it (the shared Redis on 6379 must never be stopped). Nothing is persisted. `args` are extra
 * server options, e.g. `['--replicaof', '127.0.0.1', '1']`. Stop it in afterAll.
 */
export async function startPrivateRedis(args: readonly string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    if (child !== undefined) return;
    output = '';
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    // any reply counts: a replica told to refuse (MASTERDOWN) is up too
    const answers = () =>
      probeRedis(url, 500).then(
        () => true,
        (error: unknown) => {
          if ((error as Error).name === 'ReplyError') return true;
          throw error;
        },
      );
    await waitFor(answers, {
      timeoutMs: 10_000,
      message: `redis-server on port ${port} (${output.trim().split('\n').at(-1) ?? 'no output'})`,
    });
  }

  async function stop(): Promise<void> {
    const running = child;
    if (running === undefined) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return { url, port, start, stop };
}

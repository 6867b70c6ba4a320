import { freePort } from '@streamkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceStartError } from '../src/errors.ts';
import type { DemoOutput } from '../src/output.ts';
import { waitUntilReady } from '../src/readiness.ts';
import { type ServiceProcess, startServiceProcess } from '../src/service-process.ts';
import type { DemoService } from '../src/types.ts';

const lines: string[] = [];
const output: DemoOutput = {
  info: (m) => lines.push(`info ${m}`),
  error: (m) => lines.push(`error ${m}`),
  serviceLine: (service, stream, line) => lines.push(`${service} ${stream} ${line}`),
  block: (t) => lines.push(t),
};
const started: ServiceProcess[] = [];

async function start(script: string, ready: DemoService['ready']): Promise<ServiceProcess> {
  const service: DemoService = { name: 'probe', command: ['node', '-e', script], cwd: process.cwd(), ready };
  const running = await startServiceProcess(service, {}, output);
  started.push(running);
  return running;
}

afterEach(async () => {
  for (const running of started.splice(0)) {
    running.signal('SIGKILL');
    await running.exited;
  }
  lines.length = 0;
});

describe('waitUntilReady', () => {
  it('resolves when a matching line is printed, and the line reaches the output prefixed by the service', async () => {
    const running = await start(
      "console.log('listening soon'); setTimeout(() => console.log('listening now'), 100); setInterval(() => {}, 1000)",
      {
        logLine: /listening now/,
      },
    );

    await waitUntilReady(running, { logLine: /listening now/ }, 5_000, new AbortController().signal);

    expect(lines).toContain('probe stdout listening now');
    expect(running.hasExited()).toBe(false);
  });

  it('resolves once the HTTP URL answers', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/health`;
    const running = await start(
      `setTimeout(() => require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1'), 300)`,
      { http: url },
    );

    await waitUntilReady(running, { http: url }, 5_000, new AbortController().signal);

    expect((await fetch(url)).status).toBe(200);
  });

  it('rejects naming the exit code when the process exits before it is ready', async () => {
    const running = await start('process.exit(5)', { logLine: /never/ });

    const waiting = waitUntilReady(running, { logLine: /never/ }, 5_000, new AbortController().signal);

    await expect(waiting).rejects.toThrow(ServiceStartError);
    await expect(waiting).rejects.toThrow(
      'service probe failed to start: exited with exit code 5 before it was ready',
    );
  });

  it('rejects after the deadline when the condition never holds', async () => {
    const running = await start('setInterval(() => {}, 1000)', { logLine: /never/ });

    await expect(
      waitUntilReady(running, { logLine: /never/ }, 300, new AbortController().signal),
    ).rejects.toThrow(/not ready within 300 ms \(waited for a line matching \/never\/\)/);
    expect(running.hasExited()).toBe(false);
  });

  it('returns quietly when cancelled', async () => {
    const running = await start('setInterval(() => {}, 1000)', { logLine: /never/ });
    const cancel = new AbortController();

    const waiting = waitUntilReady(running, { logLine: /never/ }, 10_000, cancel.signal);
    cancel.abort();

    await expect(waiting).resolves.toBeUndefined();
  });
});

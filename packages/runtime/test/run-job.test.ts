import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { defineService, runJob } from '../src/index.ts';

const local = { port: 0, host: '127.0.0.1', checks: {} } as const;

function exitCode() {
  let resolve: (code: number) => void = () => undefined;
  const code = new Promise<number>((r) => {
    resolve = r;
  });
  return { code, exit: (c: number) => resolve(c) };
}

describe('runJob', () => {
  it('runs the work once its resources are acquired, releases them, and exits 0', async () => {
    const events: string[] = [];
    const job = defineService({
      name: 'test-job',
      config: {},
      async start({ acquire }) {
        await acquire(
          'pool',
          () => events.push('opened'),
          () => void events.push('closed'),
        );
        return { metrics: local, parts: { run: async () => void events.push('worked') } };
      },
    });
    const { code, exit } = exitCode();
    await runJob(job, { env: { LOG_LEVEL: 'silent' }, exit, source: new EventEmitter() });
    expect(await code).toBe(0);
    expect(events).toEqual(['opened', 'worked', 'closed']);
  });

  it('exits 1 when the work fails, after releasing what it acquired', async () => {
    const events: string[] = [];
    const job = defineService({
      name: 'test-failing-job',
      config: {},
      async start({ acquire }) {
        await acquire(
          'pool',
          () => undefined,
          () => void events.push('closed'),
        );
        return { metrics: local, parts: { run: () => Promise.reject(new Error('not enough events')) } };
      },
    });
    const { code, exit } = exitCode();
    await runJob(job, { env: { LOG_LEVEL: 'silent' }, exit, source: new EventEmitter() });
    expect(await code).toBe(1);
    expect(events).toEqual(['closed']);
  });

  it('SIGTERM stops the job: its resources close under the work, which ends', async () => {
    const source = new EventEmitter();
    let started: () => void = () => undefined;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const job = defineService({
      name: 'test-endless-job',
      config: {},
      async start({ acquire }) {
        const stop = await acquire(
          'abort',
          () => new AbortController(),
          (c) => c.abort(),
        );
        const run = () =>
          new Promise<void>((resolve) => {
            stop.signal.addEventListener('abort', () => resolve());
            started();
          });
        return { metrics: local, parts: { run } };
      },
    });
    const { code, exit } = exitCode();
    const job$ = runJob(job, { env: { LOG_LEVEL: 'silent' }, exit, source });
    await running;
    source.emit('SIGTERM');
    await job$;
    expect(await code).toBe(0);
  });

  it('a failed start exits 1 without running the work', async () => {
    let worked = false;
    const job = defineService({
      name: 'test-unstartable-job',
      config: {},
      async start({ acquire }) {
        await acquire('postgres', () => Promise.reject(new Error('ECONNREFUSED')));
        const run = async () => {
          worked = true;
        };
        return { metrics: local, parts: { run } };
      },
    });
    const { code, exit } = exitCode();
    await runJob(job, { env: { LOG_LEVEL: 'silent' }, exit, source: new EventEmitter() });
    expect(await code).toBe(1);
    expect(worked).toBe(false);
  });
});

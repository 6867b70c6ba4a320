import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createGracefulShutdown, type Logger } from '../src/index.ts';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return { emitter, exits, exit: (code: number) => void exits.push(code) };
}

describe('createGracefulShutdown', () => {
  it('on SIGTERM runs the steps once, newest first, then exits 0', async () => {
    const { emitter, exits, exit } = fakeProcess();
    const order: string[] = [];
    const shutdown = createGracefulShutdown({ logger: recordingLogger(), source: emitter, exit });
    shutdown.add('producer', async () => void order.push('producer'));
    shutdown.add('consumer', async () => void order.push('consumer'));

    emitter.emit('SIGTERM');
    emitter.emit('SIGINT');
    await shutdown.shutdown('again');

    expect(order).toEqual(['consumer', 'producer']);
    expect(exits).toEqual([0]);
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(0);
  });

  it('goes on after a failing step and exits 1', async () => {
    const { emitter, exits, exit } = fakeProcess();
    const logger = recordingLogger();
    const order: string[] = [];
    const shutdown = createGracefulShutdown({ logger, source: emitter, exit });
    shutdown.add('producer', async () => void order.push('producer'));
    shutdown.add('consumer', async () => {
      throw new Error('commit failed');
    });
    await shutdown.shutdown('test');
    expect(order).toEqual(['producer']);
    expect(exits).toEqual([1]);
    expect(logger.lines).toContain('error stopping consumer failed: commit failed');
    expect(() => shutdown.add('late', async () => undefined)).toThrow(/already started/);
  });

  it('exits 1 when a step hangs past the deadline', async () => {
    const { emitter, exits, exit } = fakeProcess();
    const shutdown = createGracefulShutdown({
      logger: recordingLogger(),
      source: emitter,
      exit,
      timeoutMs: 20,
    });
    shutdown.add('stuck', () => new Promise<void>(() => undefined));
    void shutdown.shutdown('test');
    await expect.poll(() => exits).toEqual([1]);
    shutdown.dispose();
  });
});

/** Collects warnings and errors so a test can assert on them; quiet otherwise. */
function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    lines.push(
      fields?.error === undefined ? `${level} ${message}` : `${level} ${message}: ${String(fields.error)}`,
    );
  };
  return { lines, error: keep('error'), warn: keep('warn'), info: () => undefined, debug: () => undefined };
}

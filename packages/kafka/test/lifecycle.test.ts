import { describe, expect, it } from 'vitest';
import { createRunnerLifecycle } from '../src/lifecycle.ts';
import { recordingLogger } from './helpers.ts';

function lifecycleWith(steps: { close?: () => Promise<void>; release?: () => Promise<void> } = {}) {
  const order: string[] = [];
  const logger = recordingLogger();
  const lifecycle = createRunnerLifecycle({
    logger,
    close: async () => {
      order.push(`close (aborted: ${lifecycle.signal.aborted})`);
      await steps.close?.();
    },
    release: async () => {
      order.push('release');
      await steps.release?.();
    },
  });
  return { lifecycle, order, logger };
}

describe('the runners’ finish()', () => {
  it('aborts, closes the consumer, then releases, once, and resolves done', async () => {
    const { lifecycle, order } = lifecycleWith();
    expect(lifecycle.signal.aborted).toBe(false);
    const first = lifecycle.finish();
    expect(lifecycle.finish()).toBe(first);
    await first;
    await lifecycle.finish(new Error('too late: already finished'));
    await expect(lifecycle.done).resolves.toBeUndefined();
    expect(order).toEqual(['close (aborted: true)', 'release']);
  });

  it('rejects done with the crash, after the same steps', async () => {
    const { lifecycle, order } = lifecycleWith();
    const crash = new Error('broker gone for good');
    await lifecycle.finish(crash);
    await expect(lifecycle.done).rejects.toBe(crash);
    expect(order).toEqual(['close (aborted: true)', 'release']);
  });

  it('logs a failed close or release and still settles', async () => {
    const { lifecycle, order, logger } = lifecycleWith({
      close: () => Promise.reject(new Error('leave group timed out')),
      release: () => Promise.reject(new Error('producer already closed')),
    });
    await lifecycle.finish();
    await expect(lifecycle.done).resolves.toBeUndefined();
    expect(order).toEqual(['close (aborted: true)', 'release']);
    expect(logger.lines).toEqual([
      'warn consumer close failed: leave group timed out',
      'warn releasing resources failed: producer already closed',
    ]);
  });
});

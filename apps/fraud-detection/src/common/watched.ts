import type { ServiceContext } from '@streamkit/runtime';

/** What runs until stopped and settles `done` (a consumer, the detector). */
interface LongRunning {
  readonly done: Promise<unknown>;
  stop(): Promise<unknown>;
}

/**
 * Starts a consumer-like task as a resource (stopped at shutdown, before what was acquired earlier)
 * and watches it: if it fails for good, the service stops with exit 1 instead of looking healthy.
 */
export async function startWatched<T extends LongRunning>(
  context: Pick<ServiceContext<unknown>, 'acquire' | 'watch'>,
  name: string,
  start: () => Promise<T>,
): Promise<T> {
  const task = await context.acquire(name, start, (t) => t.stop());
  context.watch(name, task.done);
  return task;
}

import { messageOf } from './errors.ts';
import type { Logger } from './logger.ts';

/** A runner's stop, crash and settle logic, the same for every runner and driver. */
export interface RunnerLifecycle {
  /** Aborted once the runner finishes: batches in flight end early, no new one starts. */
  readonly signal: AbortSignal;
  /** Settles when the runner finished: resolves after stop(), rejects after a crash. */
  readonly done: Promise<void>;
  /**
   * Finishes once (later calls return the same promise): aborts `signal`, closes the consumer
   * (which waits for the batches in flight), releases the runner's own resources (producers), then
   * settles `done` with `error`. Close and release failures are logged, never thrown.
   */
  finish(error?: unknown): Promise<void>;
}

export function createRunnerLifecycle(steps: {
  readonly logger: Logger;
  readonly close: () => Promise<void>;
  readonly release: () => Promise<void>;
}): RunnerLifecycle {
  const stopping = new AbortController();
  const { promise: done, resolve, reject } = Promise.withResolvers<void>();
  done.catch(() => undefined); // a crash is also logged; callers that await `done` still see it
  let finishing: Promise<void> | undefined;
  return {
    signal: stopping.signal,
    done,
    finish(error) {
      finishing ??= (async () => {
        stopping.abort();
        await steps
          .close()
          .catch((e: unknown) => steps.logger.warn('consumer close failed', { error: messageOf(e) }));
        await steps
          .release()
          .catch((e: unknown) => steps.logger.warn('releasing resources failed', { error: messageOf(e) }));
        if (error === undefined) resolve();
        else reject(error);
      })();
      return finishing;
    },
  };
}

import type { PartitionProgress } from './driver.ts';
import { messageOf } from './errors.ts';
import type { Logger } from './logger.ts';

/** How a consumer commits the offsets of the runs its handler finished. */
export interface OffsetCommitter {
  commit(progress: PartitionProgress, next: string): Promise<void>;
  /** Commits what is pending now (the runner stops: called before the member leaves its group). */
  flush(): Promise<void>;
}

/** Each run's offsets before the next run of that partition (the default). */
export const commitEachRun: OffsetCommitter = {
  commit: (progress, next) => progress.commit(next),
  flush: async () => undefined,
};

/**
 * Offsets committed every `intervalMs` (the newest per partition) instead of after each run: for
 * at-least-once consumers whose sinks are idempotent, where a crash replaying up to one interval
 * costs nothing but time, and an OffsetCommit per fetch costs the broker a request each. When the
 * runner stops (`signal` aborted, then flush() before the member leaves its group), pending offsets
 * are committed, and a run still finishing commits its own at once. A failed commit is logged: a later one supersedes
 * it, and the records are at worst processed again.
 */
export function commitPeriodically(intervalMs: number, signal: AbortSignal, logger: Logger): OffsetCommitter {
  const pending = new Map<number, { progress: PartitionProgress; next: string }>();
  let timer: NodeJS.Timeout | undefined;

  async function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const due = [...pending.values()];
    pending.clear();
    await Promise.all(
      due.map(({ progress, next }) =>
        progress.commit(next).catch((error: unknown) => {
          logger.warn(`periodic offset commit of partition ${progress.partition} failed`, {
            error: messageOf(error),
          });
        }),
      ),
    );
  }

  return {
    async commit(progress, next) {
      if (signal.aborted) {
        await progress.commit(next);
        return;
      }
      pending.set(progress.partition, { progress, next });
      timer ??= setTimeout(() => void flush(), intervalMs);
    },
    flush,
  };
}

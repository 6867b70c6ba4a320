/** When a micro-batch runs: every `intervalMs`, or as soon as `maxRecords` are waiting. */
export interface TriggerSettings {
  readonly intervalMs: number;
  readonly maxRecords: number;
}

export function validateTriggerSettings(s: TriggerSettings): TriggerSettings {
  const problems: string[] = [];
  if (!Number.isInteger(s.intervalMs) || s.intervalMs < 10)
    problems.push(`intervalMs must be an integer >= 10, got ${s.intervalMs}`);
  if (!Number.isInteger(s.maxRecords) || s.maxRecords < 1)
    problems.push(`maxRecords must be an integer >= 1, got ${s.maxRecords}`);
  if (problems.length > 0) throw new RangeError(`invalid trigger settings: ${problems.join('; ')}`);
  return s;
}

interface Waiter<T> {
  readonly items: readonly T[];
  readonly source: number;
  resolve(): void;
  reject(error: unknown): void;
}

export interface MicroBatcher<T> {
  /** Adds a partition's run to the next micro-batch; resolves when that batch was applied. */
  submit(items: readonly T[], source?: number): Promise<void>;
  /** Applies what is waiting now (used on stop). */
  flushNow(): void;
  close(): void;
}

/**
 * Gathers the runs the consumer hands over (one per partition at a time: each waits for its batch)
 * into micro-batches, applied one at a time. A run's promise settles with its batch, so the
 * consumer commits a run's offsets only after the batch that holds it is durable.
 *
 * Like Spark's processing-time trigger, batches start at most once per interval; a batch that
 * took longer than the interval is followed at once by the next. Also at once: when a run is back
 * from every source (partition) of the last batch and the runs hold at least half its records. Each partition
 * waits on its run, so nothing more can arrive: under backlog (runs capped by the fetch) waiting
 * for the interval would only idle — measured, it left the processor idle 60 % of a backfill. At
 * low rates the runs that come back right after a batch are small, and the interval holds.
 */
export function createMicroBatcher<T>(
  settings: TriggerSettings,
  apply: (items: T[]) => Promise<void>,
  clock: () => number = () => performance.now(),
): MicroBatcher<T> {
  validateTriggerSettings(settings);
  let waiting: Waiter<T>[] = [];
  let waitingCount = 0;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let forced = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let lastSources = new Set<number>();
  let lastRecords = 0;

  function backlogged(): boolean {
    if (lastSources.size === 0 || 2 * waitingCount < lastRecords) return false;
    const back = new Set(waiting.map((w) => w.source));
    for (const source of lastSources) if (!back.has(source)) return false;
    return true;
  }
  let closed = false;

  function maybeStart(): void {
    if (busy || waiting.length === 0) return;
    const dueIn = lastStart + settings.intervalMs - clock();
    if (!forced && !backlogged() && waitingCount < settings.maxRecords && dueIn > 0) {
      timer ??= setTimeout(() => {
        timer = undefined;
        maybeStart();
      }, dueIn);
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    forced = false;
    busy = true;
    lastStart = clock();
    const batch = waiting;
    lastSources = new Set(batch.map((w) => w.source));
    lastRecords = waitingCount;
    waiting = [];
    waitingCount = 0;
    apply(batch.flatMap((w) => w.items))
      .then(
        () => {
          for (const w of batch) w.resolve();
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      )
      .finally(() => {
        busy = false;
        maybeStart();
      });
  }

  return {
    submit(items, source = 0) {
      if (closed) return Promise.reject(new Error('micro-batcher is closed'));
      return new Promise<void>((resolve, reject) => {
        waiting.push({ items, source, resolve, reject });
        waitingCount += items.length;
        maybeStart();
      });
    },
    flushNow() {
      forced = true;
      maybeStart();
    },
    close() {
      closed = true;
      forced = true;
      maybeStart();
    },
  };
}

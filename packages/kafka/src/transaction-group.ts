/**
 * Group commit for a transactional producer, which can have one transaction open at a time: the
 * work of every partition that is ready while a transaction runs goes into the next one together.
 * With N partitions that is up to N times fewer transactions (each costs several broker round
 * trips) and no partition waits behind the others' transactions one by one. Work still being
 * prepared (`enter`ed, not yet submitted) holds the next transaction back for up to `lingerMs`, so
 * the partitions of one fetch share one transaction instead of the first going alone.
 */
export interface TransactionJob<W> {
  readonly work: W;
  resolve(): void;
  reject(error: unknown): void;
}

export interface TransactionGroup<W> {
  /** Announces work being prepared; call the returned function once it is submitted or given up. */
  enter(): () => void;
  /** Resolves once `work` is committed, alone or with others; rejects with its own failure. */
  submit(work: W): Promise<void>;
}

export interface TransactionGroupOptions {
  /** Longest a transaction waits for entered work to be submitted (default 0: never waits). */
  readonly lingerMs?: number;
}

/**
 * `run(works)` performs one transaction holding all `works`; it throws to abort. When a group of
 * several fails, each member runs again alone, so a failure is attributed to the work that causes
 * it and the others commit (the retry and dead-letter logic above sees only its own failures).
 */
export function createTransactionGroup<W>(
  run: (works: readonly W[]) => Promise<void>,
  options: TransactionGroupOptions = {},
): TransactionGroup<W> {
  const lingerMs = options.lingerMs ?? 0;
  const waiting: TransactionJob<W>[] = [];
  let draining = false;
  let preparing = 0;
  let wake: (() => void) | undefined;

  /** Resolves when nothing entered is still being prepared, or after lingerMs. */
  function ready(): Promise<void> | undefined {
    if (preparing === 0 || lingerMs === 0) return undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, lingerMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (waiting.length > 0) {
        const held = ready();
        if (held !== undefined) await held;
        const group = waiting.splice(0);
        try {
          await run(group.map((j) => j.work));
          for (const job of group) job.resolve();
        } catch (error) {
          if (group.length === 1) {
            group[0]?.reject(error);
            continue;
          }
          for (const job of group) {
            try {
              await run([job.work]);
              job.resolve();
            } catch (own) {
              job.reject(own);
            }
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    enter() {
      preparing++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        preparing--;
        if (preparing === 0) wake?.();
      };
    },
    submit(work) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ work, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}

/**
 * Group commit for a transactional producer, which can have one transaction open at a time: the
 * work of every partition that is ready while a transaction runs goes into the next one together.
 * With N partitions that is up to N times fewer transactions (each costs several broker round
 * trips) and no partition waits behind the others' transactions one by one.
 */
export interface TransactionJob<W> {
  readonly work: W;
  resolve(): void;
  reject(error: unknown): void;
}

export interface TransactionGroup<W> {
  /** Resolves once `work` is committed, alone or with others; rejects with its own failure. */
  submit(work: W): Promise<void>;
}

/**
 * `run(works)` performs one transaction holding all `works`; it throws to abort. When a group of
 * several fails, each member runs again alone, so a failure is attributed to the work that causes
 * it and the others commit (the retry and dead-letter logic above sees only its own failures).
 */
export function createTransactionGroup<W>(run: (works: readonly W[]) => Promise<void>): TransactionGroup<W> {
  const waiting: TransactionJob<W>[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (waiting.length > 0) {
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
    submit(work) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ work, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}

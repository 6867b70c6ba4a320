/**
 * Gathers lines from many concurrent callers into one write every `flushMs` (a file append or an
 * HTTP POST); each caller's promise settles with the write that carried its line.
 */
export function createLineBatcher(
  write: (lines: string[]) => Promise<void>,
  flushMs: number,
  maxLines: number,
) {
  let pending: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    // one write at a time keeps the file's (or the topic's) order the order of the calls
    chain = chain.then(async () => {
      try {
        await write(batch.map((p) => p.line));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    });
  }

  return {
    add(line: string): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push({ line, resolve, reject });
        if (pending.length >= maxLines) flush();
        else timer ??= setTimeout(flush, flushMs);
      });
    },
    async close(): Promise<void> {
      flush();
      await chain;
    },
  };
}

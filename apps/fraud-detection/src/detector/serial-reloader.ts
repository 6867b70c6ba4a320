/**
 * Runs `load` one at a time. A request made while a load runs gets ONE follow-up load that starts
 * after it (requests meanwhile share it), so a burst of notifications costs at most two loads and
 * the last change is always read.
 */
export function createSerialReloader(load: () => Promise<void>): () => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  return () => {
    if (queued !== undefined) return queued;
    const next = chain.then(() => {
      queued = undefined;
      return load();
    });
    queued = next;
    chain = next.catch(() => undefined);
    return next;
  };
}

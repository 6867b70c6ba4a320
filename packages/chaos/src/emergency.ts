/**
 * Last-resort cleanup: when the chaos command must exit at once (second Ctrl-C, SIGTERM, a crash),
 * everything it started is killed synchronously from the process's 'exit' event, so no private
 * broker, database or service outlives it.
 */
const killers = new Set<() => void>();
/** Run after every killer (e.g. deleting the run's directory once nothing writes to it). */
const finalizers = new Set<() => void>();

/** `kill` must be synchronous and must not throw; the returned function unregisters it. */
export function onEmergency(kill: () => void): () => void {
  killers.add(kill);
  return () => killers.delete(kill);
}

export function onEmergencyCleanup(cleanup: () => void): () => void {
  finalizers.add(cleanup);
  return () => finalizers.delete(cleanup);
}

export function killEverythingNow(): void {
  for (const step of [...killers, ...finalizers]) {
    try {
      step();
    } catch {
      // already gone
    }
  }
  killers.clear();
  finalizers.clear();
}

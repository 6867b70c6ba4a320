export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  readonly intervalMs?: number;
  /** Says what was awaited; starts the timeout error's message. */
  readonly message?: string;
}

/**
 * Polls `fn` until it returns a truthy value (resolved with it) or stops throwing; rejects after the
 * deadline with the last error as `cause`. Tests wait on conditions with this, never on fixed sleeps.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 50;
  if (!(timeoutMs > 0) || !(intervalMs > 0)) {
    throw new RangeError(`waitFor: timeoutMs and intervalMs must be > 0 (got ${timeoutMs}, ${intervalMs})`);
  }
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      lastError = new Error(`condition returned ${String(value)}`);
    } catch (error) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await pause(Math.min(intervalMs, left));
  }
  const what = options.message ?? 'waitFor';
  const last = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what}: not satisfied within ${timeoutMs} ms (last: ${last})`, { cause: lastError });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

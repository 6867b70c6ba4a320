import { describeError, SettingsError } from '@streamkit/runtime';
import type { Tracing } from './tracing.ts';

export interface ExitHookOptions {
  /** Signals on which pending spans are exported. Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Longest wait for the exporter before the process goes on exiting. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Where a failed flush is reported. Default: a line on stderr. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Exports pending spans when the process ends, without taking the ending over:
 * - a signal the app handles itself: flush now (the app may call process.exit soon) and leave
 *   the rest to the app; a final shutdown runs when the event loop drains (`beforeExit`);
 * - a signal nobody else handles: shut tracing down, then re-raise the signal so the process
 *   dies of it exactly as it would have without us (same exit status);
 * - a natural end (`beforeExit`): shut down; the exit code stays what the app set.
 * Returns a function that removes the hooks.
 */
export function shutdownTracingOnExit(
  proc: NodeJS.Process,
  tracing: Pick<Tracing, 'forceFlush' | 'shutdown'>,
  options: ExitHookOptions = {},
): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], timeoutMs = 5000 } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new SettingsError(
      'shutdownTracingOnExit',
      `timeoutMs must be a positive integer, got ${timeoutMs}`,
    );
  }
  const onError =
    options.onError ??
    ((error: unknown) => proc.stderr.write(`telemetry: exporting spans failed: ${describeError(error)}\n`));

  const bounded = async (work: () => Promise<void>): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([work(), deadline]);
    } catch (error) {
      onError(error);
    } finally {
      clearTimeout(timer);
    }
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (proc.listenerCount(signal) > 1) {
      void bounded(() => tracing.forceFlush());
      return;
    }
    void bounded(() => tracing.shutdown()).then(() => {
      uninstall();
      proc.kill(proc.pid, signal);
    });
  };
  const onBeforeExit = (): void => {
    proc.removeListener('beforeExit', onBeforeExit);
    void bounded(() => tracing.shutdown());
  };

  for (const signal of signals) proc.on(signal, onSignal);
  proc.on('beforeExit', onBeforeExit);

  function uninstall(): void {
    for (const signal of signals) proc.removeListener(signal, onSignal);
    proc.removeListener('beforeExit', onBeforeExit);
  }
  return uninstall;
}

import { describeError } from './errors.ts';
import type { Logger } from './logger.ts';

/** The process surface the helper needs (injected in tests). */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface GracefulShutdownSettings {
  readonly logger: Logger;
  /** Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** After this long the process exits with code 1 even if a step hangs (default 30000 ms). */
  readonly timeoutMs?: number;
  /** Default: the current process. */
  readonly source?: SignalSource;
  /** Called with 0 after a clean shutdown, 1 after a failed or timed-out one (default process.exit). */
  readonly exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Registers a step; steps run in reverse order of registration (consumers before the producers they feed). */
  add(name: string, step: () => Promise<void>): void;
  /** Runs the steps once (later calls return the same promise), then exits. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal listeners (for tests and embedders). */
  dispose(): void;
}

/**
 * On the first SIGTERM/SIGINT: stops consumers (each finishes and commits its in-flight batch),
 * then flushes and disconnects producers, once, within a deadline. A service's main.ts registers
 * every running consumer and producer here.
 */
export function createGracefulShutdown(settings: GracefulShutdownSettings): GracefulShutdown {
  const { logger } = settings;
  const signals = settings.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const source: SignalSource = settings.source ?? process;
  const exit = settings.exit ?? ((code: number) => process.exit(code));
  const steps: { name: string; step: () => Promise<void> }[] = [];
  let running: Promise<void> | undefined;

  const listeners = signals.map((signal) => {
    const listener = () => void shutdown(signal);
    source.once(signal, listener);
    return { signal, listener };
  });

  function dispose(): void {
    for (const { signal, listener } of listeners) source.off(signal, listener);
  }

  function shutdown(reason: string): Promise<void> {
    running ??= (async () => {
      logger.info(`shutting down (${reason})`);
      const deadline = setTimeout(() => {
        logger.error(`shutdown did not finish within ${timeoutMs} ms; exiting`);
        exit(1);
      }, timeoutMs);
      deadline.unref();
      let failed = false;
      for (const { name, step } of [...steps].reverse()) {
        try {
          await step();
          logger.info(`stopped ${name}`);
        } catch (error) {
          failed = true;
          logger.error(`stopping ${name} failed`, { error: describeError(error) });
        }
      }
      clearTimeout(deadline);
      dispose();
      exit(failed ? 1 : 0);
    })();
    return running;
  }

  return {
    add(name, step) {
      if (running !== undefined) throw new Error(`cannot add ${name}: shutdown already started`);
      steps.push({ name, step });
    },
    shutdown,
    dispose,
  };
}

import type { LogWriter } from './log-writer.ts';

export interface RunningRateWriter {
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

/**
 * Appends `rate` lines per second in ticks of `tickMs`, each stamped with the time it is written
 * (carrying fractions over, so 2.5 lines/s is exact over time). One write per tick.
 */
export function startRateWriter(
  writer: LogWriter,
  lineAt: (time: number) => string,
  options: { rate: number; tickMs?: number; onWritten?: (lines: number) => void },
): RunningRateWriter {
  const tickMs = options.tickMs ?? 100;
  if (!(options.rate > 0)) throw new RangeError('rate must be positive');
  let stopping = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    const started = Date.now();
    let written = 0;
    while (!stopping) {
      const now = Date.now();
      const due = Math.floor(((now - started) / 1000) * options.rate) - written;
      if (due > 0) {
        await writer.append(Array.from({ length: due }, () => lineAt(Date.now())));
        written += due;
        options.onWritten?.(due);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, tickMs).unref();
      });
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
    done,
  };
}

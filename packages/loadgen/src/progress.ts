/**
 * The live status of a run: on a terminal one line rewritten ~4 times a second; elsewhere (CI
 * logs, pipes) a plain line every 5 s, because carriage returns make a log unreadable.
 */
import type { Ticker } from './clock.ts';

export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressReporterOptions {
  readonly out: ProgressOutput;
  readonly ticker: Ticker;
  readonly ttyIntervalMs?: number;
  readonly plainIntervalMs?: number;
}

export type RunPhase = 'warmup' | 'measuring' | 'draining' | 'done';

export interface ProgressSnapshot {
  readonly phase: RunPhase;
  readonly elapsedS: number;
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly inFlight: number;
  /** Sends per second since the start. */
  readonly sendRate: number;
  /** Of the measured window so far (of the warmup while warming up), in ms. */
  readonly p99Ms: number;
}

export interface ProgressSink {
  start(read: () => ProgressSnapshot): void;
  stop(): void;
}

const clearLine = '\r\u001b[2K';

export function createProgressReporter(options: ProgressReporterOptions): ProgressSink {
  const { out, ticker } = options;
  const tty = out.isTTY === true;
  const intervalMs = tty ? (options.ttyIntervalMs ?? 250) : (options.plainIntervalMs ?? 5000);
  let cancel: (() => void) | undefined;
  let read: (() => ProgressSnapshot) | undefined;

  const render = (): void => {
    if (!read) return;
    const line = formatProgressLine(read());
    out.write(tty ? `${clearLine}${line}` : `${line}\n`);
  };

  return {
    start(readSnapshot) {
      read = readSnapshot;
      cancel = ticker.every(intervalMs, render);
    },
    stop() {
      cancel?.();
      cancel = undefined;
      // leave the last state on screen, and the cursor on a fresh line
      if (tty && read) {
        render();
        out.write('\n');
      }
      read = undefined;
    },
  };
}

export function formatProgressLine(s: ProgressSnapshot): string {
  return [
    `${s.elapsedS.toFixed(1).padStart(6)} s`,
    s.phase.padEnd(9),
    `sent ${s.sent}`,
    `${Math.round(s.sendRate)}/s`,
    `completed ${s.completed}`,
    `errors ${s.errors}`,
    `in-flight ${s.inFlight}`,
    `p99 ${formatMs(s.p99Ms)}`,
  ].join('  ');
}

/** Milliseconds with precision that suits their size: 0.412 ms, 12.3 ms, 1840 ms. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

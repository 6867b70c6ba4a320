import { describe, expect, it } from 'vitest';
import type { ProgressSnapshot } from '../src/progress.ts';
import { createProgressReporter, formatMs, formatProgressLine } from '../src/progress.ts';
import { createFakeTime } from './fake-time.ts';

const ms = 1e6;
const snapshot: ProgressSnapshot = {
  phase: 'measuring',
  elapsedS: 3.25,
  sent: 16_250,
  completed: 16_100,
  errors: 2,
  inFlight: 150,
  sendRate: 5000,
  p99Ms: 12.34,
};

function captureOutput(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (chunk: string) => chunks.push(chunk) }, chunks };
}

describe('progress', () => {
  it('shows elapsed, sent, rate, completed, errors, in-flight and p99 on one line', () => {
    const line = formatProgressLine(snapshot);
    for (const part of [
      '3.3 s',
      'measuring',
      'sent 16250',
      '5000/s',
      'completed 16100',
      'errors 2',
      'in-flight 150',
      'p99 12.3 ms',
    ]) {
      expect(line).toContain(part);
    }
    expect(line).not.toContain('\n');
  });

  it('rewrites one line about 4 times a second on a terminal', async () => {
    const time = createFakeTime();
    const { out, chunks } = captureOutput(true);
    const reporter = createProgressReporter({ out, ticker: time.ticker });
    reporter.start(() => snapshot);
    await time.advanceTo(1000 * ms);
    expect(chunks).toHaveLength(4);
    for (const chunk of chunks) {
      expect(chunk.startsWith('\r\u001b[2K')).toBe(true);
      expect(chunk).not.toContain('\n');
    }
    reporter.stop();
    expect(chunks.at(-1)).toBe('\n'); // the final state stays, the cursor moves on
    await time.advanceTo(2000 * ms);
    expect(chunks).toHaveLength(6);
  });

  it('prints a plain line every 5 s when the output is not a terminal', async () => {
    const time = createFakeTime();
    const { out, chunks } = captureOutput(false);
    const reporter = createProgressReporter({ out, ticker: time.ticker });
    reporter.start(() => snapshot);
    await time.advanceTo(12_000 * ms);
    reporter.stop();
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) {
      expect(chunk).not.toContain('\r');
      expect(chunk.endsWith('\n')).toBe(true);
    }
  });

  it('formats milliseconds with precision that suits their size', () => {
    expect(formatMs(0.4123)).toBe('0.412 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(1840.4)).toBe('1840 ms');
  });
});

import { setTimeout as delay } from 'node:timers/promises';
import { ServiceStartError } from './errors.ts';
import { describeExit, type ServiceProcess } from './service-process.ts';
import type { ReadyCondition } from './types.ts';

const pollIntervalMs = 200;
const requestTimeoutMs = 2_000;

async function answersHttp(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    await response.body?.cancel();
    return response.status < 400;
  } catch {
    // Connection refused or timed out: not up yet.
    return false;
  }
}

async function pollHttp(url: string, signal: AbortSignal): Promise<void> {
  while (!(await answersHttp(url, signal))) {
    await delay(pollIntervalMs, undefined, { signal });
  }
}

function awaitLogLine(process_: ServiceProcess, pattern: RegExp, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = process_.onLine((line) => {
      // A fresh RegExp per test: a /g or /y pattern keeps state between calls otherwise.
      if (new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).test(line)) {
        stop();
        resolve();
      }
    });
    signal.addEventListener('abort', () => stop(), { once: true });
  });
}

function describeCondition(condition: ReadyCondition): string {
  if ('http' in condition) return `${condition.http} to answer`;
  if ('logLine' in condition) return `a line matching ${condition.logLine}`;
  return 'it to complete';
}

/** A one-shot step: done when it exits with code 0, failed when it exits otherwise. */
async function awaitCompletion(process_: ServiceProcess): Promise<void> {
  const exit = await process_.exited;
  if (exit.code !== 0) {
    throw new ServiceStartError(process_.name, `exited with ${describeExit(exit)} before it completed`);
  }
}

/**
 * Resolves once `condition` holds; rejects with ServiceStartError when the process exits first (for
 * `completes`: exits other than with code 0) or `timeoutMs` passes. `cancel` abandons the wait
 * quietly (the runner is stopping anyway).
 */
export async function waitUntilReady(
  process_: ServiceProcess,
  condition: ReadyCondition,
  timeoutMs: number,
  cancel: AbortSignal,
): Promise<void> {
  const local = new AbortController();
  const signal = AbortSignal.any([local.signal, cancel]);
  const ready =
    'completes' in condition
      ? awaitCompletion(process_)
      : 'http' in condition
        ? pollHttp(condition.http, signal)
        : awaitLogLine(process_, condition.logLine, signal);
  const exitedFirst =
    'completes' in condition
      ? new Promise<never>(() => {})
      : process_.exited.then((exit) => {
          throw new ServiceStartError(process_.name, `exited with ${describeExit(exit)} before it was ready`);
        });
  const timedOut = delay(timeoutMs, undefined, { signal }).then(() => {
    throw new ServiceStartError(
      process_.name,
      `not ready within ${timeoutMs} ms (waited for ${describeCondition(condition)})`,
    );
  });
  try {
    await Promise.race([ready, exitedFirst, timedOut]);
  } catch (error) {
    if (cancel.aborted) return;
    throw error;
  } finally {
    local.abort();
    // The losers of the race settle later; their outcome no longer matters.
    for (const p of [ready, exitedFirst, timedOut]) p.catch(() => {});
  }
}

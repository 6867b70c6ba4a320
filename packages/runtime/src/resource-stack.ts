import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffPolicy, backoffDelayMs } from './backoff.ts';
import { describeError, StreamkitError } from './errors.ts';
import { transientFailureReason } from './infrastructure-failure.ts';
import type { Logger } from './logger.ts';

/** A step of a service's start failed; `step` names it (e.g. "redis", "kafka topics"). */
export class StartupError extends StreamkitError {
  readonly service: string;
  readonly step: string;

  constructor(service: string, step: string, cause: unknown) {
    super(`${service} failed to start: ${step}: ${describeError(cause)}`, {
      cause,
      retriable: cause instanceof StreamkitError ? cause.retriable : false,
    });
    this.service = service;
    this.step = step;
  }
}

/** The service was told to stop while a step waited for what it needs. */
export class StartupAbortedError extends StreamkitError {
  constructor(reason: string) {
    super(`stopped while waiting (${reason})`);
  }
}

/**
 * How a step whose dependency is down (Kafka, PostgreSQL, Redis: a failure `transientFailureReason`
 * names) is waited out instead of failing the start: retried with capped exponential backoff and
 * jitter, one log line per attempt, until it opens, `maxWaitMs` passes, or `signal` aborts.
 */
export interface StartupWait {
  readonly backoff: BackoffPolicy;
  /** 0: as long as it takes. */
  readonly maxWaitMs: number;
  /** Aborted when the service is told to stop during its start. */
  readonly signal?: AbortSignal;
  /** Called at each failed attempt (the service's metric). */
  readonly onWait?: (step: string, reason: string) => void;
  readonly random?: () => number;
}

/** Resources opened in order, closed in reverse: what was opened last (consumers, HTTP) stops first. */
export interface ResourceStack {
  acquire<T>(
    name: string,
    open: () => Promise<T> | T,
    close?: (value: T) => Promise<unknown> | unknown,
  ): Promise<T>;
  /** Closes every resource, newest first; one failing close does not stop the others. Throws if any failed. */
  release(): Promise<void>;
}

export function createResourceStack(service: string, logger: Logger, wait?: StartupWait): ResourceStack {
  const opened: { name: string; close: () => Promise<unknown> | unknown }[] = [];
  let releasing: Promise<void> | undefined;

  /** Opens, waiting out a transient failure as `wait` says; any other failure is the step's. */
  async function openWaiting<T>(name: string, open: () => Promise<T> | T): Promise<T> {
    const since = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await open();
        if (attempt > 1) logger.info(`${name} available after ${attempt} attempts`, { step: name });
        return value;
      } catch (error) {
        if (error instanceof StartupError) throw error;
        const reason = wait === undefined ? undefined : transientFailureReason(error);
        const waited = Date.now() - since;
        if (wait === undefined || reason === undefined) throw error;
        if (wait.signal?.aborted === true) throw new StartupAbortedError(`${attempt} attempts: ${reason}`);
        if (wait.maxWaitMs > 0 && waited >= wait.maxWaitMs) throw error;
        const delayMs = backoffDelayMs(attempt, wait.backoff, wait.random);
        const message = describeError(error);
        wait.onWait?.(name, reason);
        logger.warn(`${name} unavailable, retrying in ${delayMs} ms (attempt ${attempt}): ${message}`, {
          step: name,
          reason,
          attempt,
          waitedMs: waited,
        });
        try {
          await sleep(delayMs, undefined, wait.signal === undefined ? {} : { signal: wait.signal });
        } catch {
          throw new StartupAbortedError(`${attempt} attempts: ${reason}`);
        }
      }
    }
  }

  return {
    async acquire(name, open, close) {
      if (releasing !== undefined)
        throw new StartupError(service, name, new Error('the service is stopping'));
      let value: Awaited<ReturnType<typeof open>>;
      try {
        value = await openWaiting(name, open);
      } catch (error) {
        throw error instanceof StartupError ? error : new StartupError(service, name, error);
      }
      if (close !== undefined) opened.push({ name, close: () => close(value) });
      return value;
    },
    release() {
      releasing ??= (async () => {
        const failed: string[] = [];
        for (const { name, close } of opened.reverse()) {
          try {
            await close();
            logger.debug(`closed ${name}`);
          } catch (error) {
            failed.push(`${name}: ${describeError(error)}`);
            logger.error(`closing ${name} failed`, { error: describeError(error) });
          }
        }
        if (failed.length > 0)
          throw new StreamkitError(`${service} did not stop cleanly: ${failed.join('; ')}`);
      })();
      return releasing;
    },
  };
}

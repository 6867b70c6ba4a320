import { describeError, StreamkitError } from './errors.ts';
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

export function createResourceStack(service: string, logger: Logger): ResourceStack {
  const opened: { name: string; close: () => Promise<unknown> | unknown }[] = [];
  let releasing: Promise<void> | undefined;

  return {
    async acquire(name, open, close) {
      if (releasing !== undefined)
        throw new StartupError(service, name, new Error('the service is stopping'));
      let value: Awaited<ReturnType<typeof open>>;
      try {
        value = await open();
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

import { backoffDelayMs } from '@streamkit/runtime';
import { classifyFailure } from './failure-class.ts';
import type { Logger } from './logger.ts';
import type { TransientFailure } from './outage.ts';
import { abortableDelay } from './retry.ts';
import type { TransientRetryPolicy } from './types.ts';

/** The crashed member's close may wait on the very broker that is down: it is not waited for longer. */
const CLOSE_CRASHED_TIMEOUT_MS = 10_000;

export interface MemberRestartSteps {
  /** "consumer <group> on <topic>", for the log lines. */
  readonly member: string;
  readonly policy: TransientRetryPolicy;
  readonly logger: Logger;
  /** Aborted when the runner stops: the restart ends at once. */
  readonly signal: AbortSignal;
  /** Closes the crashed member (its failure is of no interest). */
  closeCrashed(): Promise<void>;
  /** Creates and starts a new member; resolves once it joined the group. */
  startNew(): Promise<void>;
  /** Each failed attempt (the first is the crash): the outage goes on. */
  waiting(failure: TransientFailure): void;
  /** The new member joined: the outage is over. */
  rejoined(): void;
  /** A failure that is not the infrastructure's: the runner finishes with it. */
  gaveUp(error: unknown): void;
}

/**
 * Restarts a group member that its client library gave up on during an infrastructure outage (e.g.
 * kafkajs' "Failed to find group coordinator", `restart: false`, while a broker restarts): closes
 * it, waits with capped exponential backoff and jitter, starts a new one (it rejoins the group and
 * resumes from the committed offsets) and tries again for as long as the failure stays transient.
 */
export async function restartMember(first: TransientFailure, steps: MemberRestartSteps): Promise<void> {
  const started = Date.now();
  let failure = first;
  for (let attempt = 1; !steps.signal.aborted; attempt++) {
    steps.waiting(failure);
    const delayMs = backoffDelayMs(attempt, steps.policy);
    steps.logger.warn(
      `${steps.member} left its group on an outage (${failure.reason}): restarting in ${delayMs} ms (attempt ${attempt})`,
      { error: failure.message },
    );
    await Promise.race([
      steps.closeCrashed().catch(() => undefined),
      abortableDelay(CLOSE_CRASHED_TIMEOUT_MS, steps.signal),
    ]);
    await abortableDelay(delayMs, steps.signal);
    if (steps.signal.aborted) return;
    try {
      await steps.startNew();
      steps.rejoined();
      steps.logger.info(`${steps.member} rejoined its group after ${Date.now() - started} ms`);
      return;
    } catch (error) {
      if (steps.signal.aborted) return;
      const next = classifyFailure(error);
      if (next.kind !== 'transient') {
        steps.rejoined();
        steps.gaveUp(error);
        return;
      }
      failure = next;
    }
  }
}

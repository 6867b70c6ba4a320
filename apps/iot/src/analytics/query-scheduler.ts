import { QueryBusyError, QueryTimeoutError } from './errors.ts';

export interface SchedulerLimits {
  /** Queries admitted (queued or running) at once, all clients together. */
  readonly maxInFlight: number;
  /** Queries admitted at once from one client address. */
  readonly maxPerClient: number;
}

export interface QueryTicket {
  /** Who asks: a client address (bounded), or undefined for the service's own checks (never refused). */
  readonly client?: string;
  /** The whole time the query may take, waiting in the queue included. */
  readonly timeoutMs: number;
}

/**
 * Runs the lake's queries one at a time (they share the views DuckDB refreshes before each) with
 * two bounds: admission — a client past its share is refused 429-style, everyone past the total
 * 503-style, before anything waits — and a deadline that starts when the query is asked, not when
 * it runs, so a long queue cannot hold a caller past its time limit. `work` gets the milliseconds
 * left; a query whose deadline passed while it waited is refused without running.
 */
export function createQueryScheduler(limits: SchedulerLimits) {
  let queue: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  const perClient = new Map<string, number>();

  function admit(client: string | undefined): () => void {
    if (client === undefined) return () => undefined;
    const mine = perClient.get(client) ?? 0;
    if (mine >= limits.maxPerClient)
      throw new QueryBusyError(
        'client',
        `more than ${limits.maxPerClient} queries in flight from this client`,
      );
    if (inFlight >= limits.maxInFlight)
      throw new QueryBusyError('total', `more than ${limits.maxInFlight} queries in flight`);
    inFlight++;
    perClient.set(client, mine + 1);
    return () => {
      inFlight--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left === 0) perClient.delete(client);
      else perClient.set(client, left);
    };
  }

  return {
    get inFlight() {
      return inFlight;
    },
    run<T>(ticket: QueryTicket, work: (remainingMs: number) => Promise<T>): Promise<T> {
      const release = admit(ticket.client);
      const deadline = performance.now() + ticket.timeoutMs;
      const next = queue.then(() => {
        const remainingMs = deadline - performance.now();
        if (remainingMs <= 0)
          throw new QueryTimeoutError(`query waited longer than ${ticket.timeoutMs} ms for its turn`);
        return work(remainingMs);
      });
      queue = next.catch(() => undefined);
      return next.finally(release);
    },
  };
}

export type QueryScheduler = ReturnType<typeof createQueryScheduler>;

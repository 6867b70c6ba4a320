import { describe, expect, it, vi } from 'vitest';
import { type QueryBusyError, QueryTimeoutError } from '../src/analytics/errors.ts';
import { createQueryScheduler } from '../src/analytics/query-scheduler.ts';

/** A query that runs until the test lets it finish. */
function held() {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { release, work: () => done };
}

describe('query scheduler', () => {
  it('counts the wait in the queue against the time limit: a query whose time ran out while waiting never runs', async () => {
    const scheduler = createQueryScheduler({ maxInFlight: 10, maxPerClient: 10 });
    const first = held();
    const running = scheduler.run({ client: 'a', timeoutMs: 60_000 }, first.work);
    const asked = performance.now();
    const second = vi.fn(async () => 'ran');
    const waiting = scheduler.run({ client: 'b', timeoutMs: 50 }, second);
    // the first query holds the queue past the second's whole time limit
    await vi.waitFor(() => expect(performance.now() - asked).toBeGreaterThan(60));
    first.release();
    await running;
    await expect(waiting).rejects.toThrow(QueryTimeoutError);
    await expect(waiting).rejects.toThrow(/waited longer than 50 ms/);
    expect(second).not.toHaveBeenCalled();
    expect(scheduler.inFlight).toBe(0);
  });

  it('gives the work only the time left of its limit', async () => {
    const scheduler = createQueryScheduler({ maxInFlight: 10, maxPerClient: 10 });
    let left = Number.NaN;
    await scheduler.run({ client: 'a', timeoutMs: 5000 }, async (remainingMs) => {
      left = remainingMs;
    });
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5000);
  });

  it('refuses past the per-client bound (client) and the total (total) at once, and frees slots when answered', async () => {
    const scheduler = createQueryScheduler({ maxInFlight: 3, maxPerClient: 2 });
    const hold = held();
    const admitted = [
      scheduler.run({ client: 'a', timeoutMs: 60_000 }, hold.work),
      scheduler.run({ client: 'a', timeoutMs: 60_000 }, hold.work),
      scheduler.run({ client: 'b', timeoutMs: 60_000 }, hold.work),
    ];
    expect(() => scheduler.run({ client: 'a', timeoutMs: 60_000 }, hold.work)).toThrow(
      expect.objectContaining({ scope: 'client' }) as QueryBusyError,
    );
    expect(() => scheduler.run({ client: 'c', timeoutMs: 60_000 }, hold.work)).toThrow(
      expect.objectContaining({ scope: 'total' }) as QueryBusyError,
    );
    // the service's own checks (no client) are never refused
    const check = scheduler.run({ timeoutMs: 60_000 }, async () => 'ok');
    expect(scheduler.inFlight).toBe(3);
    hold.release();
    await Promise.all(admitted);
    expect(await check).toBe('ok');
    expect(scheduler.inFlight).toBe(0);
    await expect(scheduler.run({ client: 'c', timeoutMs: 60_000 }, async () => 'c')).resolves.toBe('c');
  });
});

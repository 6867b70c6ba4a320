import { PoisonError } from '@streamkit/runtime';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, HandlerError, KafkaSettingsError, validateRetryPolicy } from '../src/index.ts';
import { type OutageWaiting, processIsolating } from '../src/isolate.ts';
import { RetryAborted, retryWithBackoff } from '../src/retry.ts';

const policy = { maxRetries: 4, initialBackoffMs: 100, maxBackoffMs: 1000 };

describe('backoffDelayMs', () => {
  it('doubles per retry within the upper half of the exponential step (equal jitter)', () => {
    expect([1, 2, 3, 4].map((r) => backoffDelayMs(r, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((r) => backoffDelayMs(r, policy, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(150);
  });

  it('is capped at maxBackoffMs, even for huge retry numbers', () => {
    expect(backoffDelayMs(5, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(10_000, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(10_000, policy, () => 0)).toBe(500);
  });

  it('rejects retry numbers below 1', () => {
    expect(() => backoffDelayMs(0, policy)).toThrow(RangeError);
  });
});

describe('validateRetryPolicy', () => {
  it('accepts sane numbers', () => {
    expect(validateRetryPolicy(policy)).toEqual(policy);
  });

  it('names every bad setting at once', () => {
    const failure = (() => {
      try {
        validateRetryPolicy({ maxRetries: -1, initialBackoffMs: 0, maxBackoffMs: Number.NaN });
      } catch (e) {
        return e;
      }
    })();
    expect(failure).toBeInstanceOf(KafkaSettingsError);
    const error = failure as KafkaSettingsError;
    expect(error.retriable).toBe(false);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/maxRetries must be an integer in 0\.\.1000, got -1/);
    expect(error.message).toMatch(/initialBackoffMs must be a number >= 1, got 0/);
    expect(error.message).toMatch(/maxBackoffMs must be >= initialBackoffMs/);
  });

  it('rejects a cap below the initial backoff', () => {
    expect(() => validateRetryPolicy({ maxRetries: 1, initialBackoffMs: 500, maxBackoffMs: 100 })).toThrow(
      /maxBackoffMs/,
    );
  });
});

describe('retryWithBackoff', () => {
  it('retries up to maxRetries with the computed pauses, then rethrows the last error', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failure = await retryWithBackoff(
      async () => {
        calls++;
        throw new Error(`failure ${calls}`);
      },
      { maxRetries: 3, initialBackoffMs: 10, maxBackoffMs: 1000 },
      { random: () => 1, wait: async (ms) => void waits.push(ms) },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
    expect((failure as Error).message).toBe('failure 4');
  });

  it('does not retry what retryable refuses', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new TypeError('bug');
        },
        policy,
        { retryable: (e) => !(e instanceof TypeError), wait: async () => undefined },
      ),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

describe('processIsolating', () => {
  const outageNotExpected: OutageWaiting = {
    policy: { initialBackoffMs: 1, maxBackoffMs: 1 },
    wait: async () => true,
    failed: () => expect.unreachable('no transient failure here'),
    cleared: () => undefined,
  };
  const noWait = { wait: async () => undefined, outage: outageNotExpected };
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  it('bisects a failing run down to the poison entries and keeps offset order', async () => {
    const committed: number[][] = [];
    const quarantined: number[] = [];
    const poison = new Set([3, 6]);
    await processIsolating(
      [0, 1, 2, 3, 4, 5, 6, 7],
      {
        async attempt(run) {
          if (run.some((n) => poison.has(n)))
            throw new HandlerError('t', 0, run.map(String), new Error('boom'));
          committed.push([...run]);
        },
        async quarantine(n, error) {
          expect(error.cause).toEqual(new Error('boom'));
          quarantined.push(n);
        },
      },
      { maxRetries: 1, initialBackoffMs: 1, maxBackoffMs: 1 },
      noWait,
    );
    expect(quarantined).toEqual([3, 6]);
    expect(committed.flat()).toEqual([0, 1, 2, 4, 5, 7]);
    expect(committed.flat().concat(quarantined).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('lets non-handler failures through without retrying', async () => {
    let calls = 0;
    await expect(
      processIsolating(
        [1, 2],
        {
          async attempt() {
            calls++;
            throw new Error('commit failed');
          },
          async quarantine() {
            throw new Error('must not quarantine');
          },
        },
        policy,
        noWait,
      ),
    ).rejects.toThrow('commit failed');
    expect(calls).toBe(1);
  });

  it('waits out an outage for as long as it takes: no bisection, no quarantine, one success', async () => {
    let down = 7;
    const events: string[] = [];
    const delays: number[] = [];
    const done: number[][] = [];
    await processIsolating(
      [0, 1, 2, 3],
      {
        async attempt(run) {
          if (down-- > 0)
            throw new HandlerError('t', 0, run.map(String), new Error('x', { cause: refused() }));
          done.push([...run]);
        },
        async quarantine() {
          expect.unreachable('an outage must not be dead-lettered');
        },
      },
      { maxRetries: 1, initialBackoffMs: 1, maxBackoffMs: 1 },
      {
        wait: async () => undefined,
        outage: {
          policy: { initialBackoffMs: 100, maxBackoffMs: 1000 },
          random: () => 1,
          wait: async (ms) => {
            delays.push(ms);
            return true;
          },
          failed: (failure, attempt) => events.push(`${failure.reason}#${attempt}`),
          cleared: () => events.push('cleared'),
        },
      },
    );
    expect(done).toEqual([[0, 1, 2, 3]]);
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]); // capped exponential
    expect(events.at(0)).toBe('ECONNREFUSED#1');
    expect(events.at(-1)).toBe('cleared');
  });

  it('gives the run up (RetryAborted, nothing quarantined) when the wait is cut short by a stop', async () => {
    let cleared = 0;
    await expect(
      processIsolating(
        [0, 1],
        {
          async attempt(run) {
            throw new HandlerError('t', 0, run.map(String), refused());
          },
          async quarantine() {
            expect.unreachable('an outage must not be dead-lettered');
          },
        },
        policy,
        {
          wait: async () => undefined,
          outage: {
            ...outageNotExpected,
            failed: () => undefined,
            wait: async () => false,
            cleared: () => cleared++,
          },
        },
      ),
    ).rejects.toBeInstanceOf(RetryAborted);
    expect(cleared).toBe(1);
  });

  it('quarantines a record marked poison without retrying it, as kind poison', async () => {
    const attempts: number[][] = [];
    const quarantined: string[] = [];
    await processIsolating(
      [0, 1, 2],
      {
        async attempt(run) {
          attempts.push([...run]);
          if (run.includes(1))
            throw new HandlerError('t', 0, run.map(String), new PoisonError('unknown card'));
        },
        async quarantine(n, _error, failure) {
          quarantined.push(`${n}:${failure.kind}:${failure.kind === 'poison' ? failure.reason : ''}`);
        },
      },
      { maxRetries: 5, initialBackoffMs: 1, maxBackoffMs: 1 },
      noWait,
    );
    expect(quarantined).toEqual(['1:poison:marked']);
    // the whole run once, its halves once, the poison record once: never retried
    expect(attempts).toEqual([[0, 1, 2], [0, 1], [0], [1], [2]]);
  });
});

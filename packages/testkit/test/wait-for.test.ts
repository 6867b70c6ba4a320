import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/wait-for.ts';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `done after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('done after 3');
  });

  it('keeps polling while fn throws, then resolves', async () => {
    let calls = 0;
    await expect(
      waitFor(
        async () => {
          if (++calls < 3) throw new Error('not yet');
          return true;
        },
        { intervalMs: 1 },
      ),
    ).resolves.toBe(true);
  });

  it('rejects after the deadline with the message and the last error as cause', async () => {
    const last = new Error('still 2 of 5');
    const failure = await waitFor(
      () => {
        throw last;
      },
      { timeoutMs: 30, intervalMs: 5, message: 'rows in sink' },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^rows in sink: not satisfied within 30 ms \(last: still 2 of 5\)/,
    );
    expect((failure as Error).cause).toBe(last);
  });

  it('rejects nonsense settings', async () => {
    await expect(waitFor(() => true, { timeoutMs: 0 })).rejects.toThrow(RangeError);
  });
});

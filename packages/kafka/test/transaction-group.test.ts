import { describe, expect, it } from 'vitest';
import { createTransactionGroup } from '../src/transaction-group.ts';

/** A run function whose first call stays open until released, recording what each call held. */
function recordingRun(failOn: (works: readonly string[]) => boolean) {
  const calls: string[][] = [];
  let release: () => void = () => undefined;
  const firstGate = new Promise<void>((r) => {
    release = r;
  });
  const run = async (works: readonly string[]) => {
    calls.push([...works]);
    if (calls.length === 1) await firstGate;
    if (failOn(works)) throw new Error(`failed ${works.join('+')}`);
  };
  return { calls, run, release: () => release() };
}

describe('createTransactionGroup', () => {
  it('puts the work submitted while a transaction runs into the next one, together', async () => {
    const r = recordingRun(() => false);
    const group = createTransactionGroup(r.run);
    const first = group.submit('p0');
    const rest = [group.submit('p1'), group.submit('p2')];
    r.release();
    await Promise.all([first, ...rest]);
    expect(r.calls).toEqual([['p0'], ['p1', 'p2']]);
  });

  it('runs each member of a failed group alone, so only the failing work is rejected', async () => {
    const r = recordingRun((works) => works.includes('bad'));
    const group = createTransactionGroup(r.run);
    const first = group.submit('p0');
    const good = group.submit('p1');
    const bad = group.submit('bad');
    r.release();
    await first;
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('failed bad');
    expect(r.calls).toEqual([['p0'], ['p1', 'bad'], ['p1'], ['bad']]);
  });

  it('holds a transaction back until the work entered meanwhile is submitted, so they share it', async () => {
    const calls: string[][] = [];
    const group = createTransactionGroup(
      async (works: readonly string[]) => {
        calls.push([...works]);
      },
      { lingerMs: 60_000 },
    );
    const leaveA = group.enter();
    const leaveB = group.enter();
    const a = group.submit('p0');
    leaveA();
    await Promise.resolve();
    expect(calls).toEqual([]); // p1 is still being prepared
    const b = group.submit('p1');
    leaveB();
    await Promise.all([a, b]);
    expect(calls).toEqual([['p0', 'p1']]);
  });

  it('stops waiting for entered work after lingerMs', async () => {
    const calls: string[][] = [];
    const group = createTransactionGroup(
      async (works: readonly string[]) => {
        calls.push([...works]);
      },
      { lingerMs: 20 },
    );
    const leaveStuck = group.enter(); // e.g. a partition waiting out a Redis outage
    await group.submit('p0');
    expect(calls).toEqual([['p0']]);
    leaveStuck();
  });
});

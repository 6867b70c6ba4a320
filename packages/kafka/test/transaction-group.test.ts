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
});

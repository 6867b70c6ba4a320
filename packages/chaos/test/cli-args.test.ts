import { describe, expect, it } from 'vitest';
import { ChaosUsageError, parseChaosArgs } from '../src/cli-args.ts';

describe('parseChaosArgs', () => {
  it('reads the pipeline and the flags, with defaults', () => {
    expect(parseChaosArgs(['fraud', '--faults', '3', '--seed', '9', '--duration', '30'])).toEqual({
      kind: 'run',
      pipeline: 'fraud',
      faults: 3,
      seed: 9,
      durationS: 30,
      rate: undefined,
      drainS: 180,
      kinds: undefined,
      outDir: undefined,
    });
    expect(parseChaosArgs(['--list'])).toEqual({ kind: 'list' });
  });

  it('names the flag that is wrong', () => {
    expect(() => parseChaosArgs(['fraud', '--faults', 'many'])).toThrow(/--faults/);
    expect(() => parseChaosArgs(['fraud', '--kinds', 'kill-service,meteor'])).toThrow(/meteor/);
    expect(() => parseChaosArgs([])).toThrow(ChaosUsageError);
    expect(() => parseChaosArgs(['fraud', 'iot'])).toThrow(/one pipeline/);
  });
});

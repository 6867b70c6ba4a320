import { describe, expect, it } from 'vitest';
import { type FaultKind, planFaults } from '../src/faults.ts';

const all: FaultKind[] = [
  'kill-service',
  'kafka-restart',
  'postgres-restart',
  'redis-restart',
  'replica-join',
  'replica-leave',
];

describe('planFaults', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const a = planFaults({ faults: 20, seed: 7, durationS: 300, kinds: all });
    expect(planFaults({ faults: 20, seed: 7, durationS: 300, kinds: all })).toEqual(a);
    expect(planFaults({ faults: 20, seed: 8, durationS: 300, kinds: all })).not.toEqual(a);
  });

  it('puts fault i in the i-th slot of the first 80 % of the load, in order', () => {
    const faults = planFaults({ faults: 10, seed: 3, durationS: 100, kinds: all });
    faults.forEach((fault, i) => {
      expect(fault.atS).toBeGreaterThanOrEqual(i * 8);
      expect(fault.atS).toBeLessThanOrEqual((i + 1) * 8);
    });
  });

  it('lets a replica leave only after one joined, and keeps at most two extra', () => {
    for (let seed = 0; seed < 50; seed++) {
      let extra = 0;
      for (const fault of planFaults({ faults: 30, seed, durationS: 300, kinds: all })) {
        if (fault.kind === 'replica-join') extra++;
        if (fault.kind === 'replica-leave') {
          expect(extra).toBeGreaterThan(0);
          extra--;
        }
        expect(extra).toBeLessThanOrEqual(2);
      }
    }
  });

  it('uses only the kinds it is given, each of them over a long run', () => {
    const kinds: FaultKind[] = ['kill-service', 'mosquitto-restart'];
    const used = new Set(planFaults({ faults: 40, seed: 1, durationS: 400, kinds }).map((f) => f.kind));
    expect(used).toEqual(new Set(kinds));
  });
});

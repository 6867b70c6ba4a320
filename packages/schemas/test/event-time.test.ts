import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FUTURE_SKEW_MS, futureEventTime } from '../src/index.ts';

const now = Date.UTC(2026, 11, 3, 7, 0, 0);

describe('futureEventTime', () => {
  it('accepts the past, the present and times within the skew, ISO or epoch ms', () => {
    expect(DEFAULT_MAX_FUTURE_SKEW_MS).toBe(300_000);
    for (const ts of ['2020-01-01T00:00:00Z', new Date(now).toISOString(), now + 300_000]) {
      expect(futureEventTime('ts', ts, now, 300_000)).toBeUndefined();
    }
  });

  it('names the field and says how far ahead a time beyond the skew lies', () => {
    expect(futureEventTime('ts', now + 300_001, now, 300_000)).toEqual({
      field: 'ts',
      message:
        "must not lie more than 300000 ms in the future (it is 300001 ms ahead of the receiver's clock)",
    });
    expect(futureEventTime('lines/2/ts', '2099-01-01T00:00:00Z', now, 0)?.field).toBe('lines/2/ts');
  });

  it('leaves an unparseable time to the schema', () => {
    expect(futureEventTime('ts', 'yesterday', now, 0)).toBeUndefined();
  });
});

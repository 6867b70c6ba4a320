import { describe, expect, it } from 'vitest';
import { uniqueName } from '../src/unique-name.ts';

describe('uniqueName', () => {
  it('is prefix-pid-random and differs per call', () => {
    const a = uniqueName('payments');
    const b = uniqueName('payments');
    expect(a).toMatch(new RegExp(`^payments-${process.pid}-[0-9a-f]{8}$`));
    expect(a).not.toBe(b);
  });

  it('keeps only characters valid for topics, groups, keys and database names', () => {
    const name = uniqueName('Fraud Alerts/v2_');
    expect(name).toMatch(/^fraud-alerts-v2-\d+-[0-9a-f]{8}$/);
    expect(uniqueName('x'.repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it('rejects a prefix with nothing usable', () => {
    expect(() => uniqueName('//')).toThrow(/no usable characters/);
  });
});

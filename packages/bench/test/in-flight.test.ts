import { describe, expect, it } from 'vitest';
import { MIN_MAX_IN_FLIGHT, maxInFlightFor } from '../src/in-flight.ts';

describe('maxInFlightFor', () => {
  it('keeps 10,000 for objectives that need fewer outstanding operations', () => {
    expect(maxInFlightFor(20_000, { p99Ms: 100 })).toBe(MIN_MAX_IN_FLIGHT);
    expect(maxInFlightFor(1_000, { p99Ms: 1_000 })).toBe(MIN_MAX_IN_FLIGHT);
  });

  it('allows twice rate × objective when that is more', () => {
    expect(maxInFlightFor(15_000, { p99Ms: 1_000 })).toBe(30_000);
    expect(maxInFlightFor(12_345, { p99Ms: 1_000 })).toBe(24_690);
  });
});

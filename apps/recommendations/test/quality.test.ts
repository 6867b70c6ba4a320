import { describe, expect, it } from 'vitest';
import { formatQuality, REQUIRED_LIFT } from '../src/quality/format.ts';
import { runQuality } from '../src/quality/run-quality.ts';

describe('recommendation quality on simulated shoppers', () => {
  it('hit-rate@10 on a held-out period is at least 1.5x the popularity baseline', () => {
    const result = runQuality();
    console.log(formatQuality(result));
    expect(result.model.users).toBeGreaterThan(500);
    expect(result.popularityBaseline.hitRateAt10).toBeGreaterThan(0);
    expect(result.model.hitRateAt10).toBeGreaterThanOrEqual(
      REQUIRED_LIFT * result.popularityBaseline.hitRateAt10,
    );
    expect(result.model.ndcgAt10).toBeGreaterThan(result.popularityBaseline.ndcgAt10);
  });

  it('is deterministic by seed', () => {
    const small = {
      seed: 9,
      users: 150,
      products: 2000,
      historyDays: 6,
      heldOutDays: 1,
      sessionsPerUserPerDay: 1,
    };
    expect(runQuality(small).model).toEqual(runQuality(small).model);
  });
});

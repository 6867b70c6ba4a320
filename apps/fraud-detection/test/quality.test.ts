// The quality bar, asserted: trained on seed 1's history, evaluated on seed 2's stream
// (never seen in training) with the default rules and that model — the same evaluation
// `pnpm --filter @streamkit/fraud-detection quality` prints.
import { describe, expect, it } from 'vitest';
import { formatQualityReport } from '../src/quality/format.ts';
import { runQuality } from '../src/quality/run-quality.ts';

describe('detection quality on an unseen seed', () => {
  it('detects ≥ 90 % of the injected attacks with ≥ 80 % of flagged payments being fraud', () => {
    const { model, report } = runQuality({
      trainSeed: 1,
      evalSeed: 2,
      cards: 2000,
      trainDays: 14,
      evalDays: 7,
    });
    const printed = formatQualityReport(report);
    expect(model.metrics.rocAuc, printed).toBeGreaterThan(0.9);
    expect(report.instances, printed).toBeGreaterThanOrEqual(30);
    for (const [scenario, q] of Object.entries(report.perScenario))
      expect(q.instances, scenario).toBeGreaterThan(0);
    expect(report.scenarioRecall, printed).toBeGreaterThanOrEqual(0.9);
    expect(report.paymentPrecision, printed).toBeGreaterThanOrEqual(0.8);
    expect(report.passed).toBe(true);
  });

  it('refuses to evaluate on the training seed', () => {
    expect(() => runQuality({ trainSeed: 3, evalSeed: 3, cards: 10, trainDays: 1, evalDays: 1 })).toThrow(
      /must differ/,
    );
  });
});

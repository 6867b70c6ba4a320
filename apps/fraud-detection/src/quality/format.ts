import { SCENARIOS } from '../generator/draft.ts';
import type { QualityReport } from './evaluate.ts';

const f3 = (x: number) => x.toFixed(3);

export function formatQualityReport(r: QualityReport): string {
  const c = r.confusion;
  const lines = [
    `payments evaluated: ${r.payments} (decisions: ${r.decisions.approve} approve, ${r.decisions.review} review, ${r.decisions.decline} decline)`,
    `scenario recall:   ${f3(r.scenarioRecall)}  (${r.detectedInstances} of ${r.instances} injected attacks had a payment flagged; bar ≥ ${r.bar.minScenarioRecall})`,
    `payment precision: ${f3(r.paymentPrecision)}  (flagged payments that are fraud, not counting ${r.collateral} collateral flags of owners' payments on cards under attack; bar ≥ ${r.bar.minPaymentPrecision})`,
    `strict precision:  ${f3(r.strictPaymentPrecision)}  (collateral counted as false positives; informative)`,
    `payment recall:    ${f3(r.paymentRecall)}  (fraud payments flagged; informative)`,
    'confusion (payments; flagged = review or decline):',
    '                   flagged   approved',
    `  fraud          ${String(c.tp).padStart(9)} ${String(c.fn).padStart(10)}`,
    `  legitimate     ${String(c.fp).padStart(9)} ${String(c.tn).padStart(10)}`,
    'per scenario:                 attacks detected   payments flagged',
    ...SCENARIOS.map((s) => {
      const q = r.perScenario[s];
      return `  ${s.padEnd(26)} ${`${q.detected}/${q.instances}`.padStart(8)} ${`${q.flaggedPayments}/${q.payments}`.padStart(18)}`;
    }),
  ];
  if (r.falsePositiveReasons.length > 0) {
    lines.push('false positives by first reason:');
    for (const [reason, n] of r.falsePositiveReasons) lines.push(`  ${String(n).padStart(5)}  ${reason}`);
  }
  if (r.missedInstances.length > 0) lines.push(`missed attacks: ${r.missedInstances.join(', ')}`);
  lines.push(r.passed ? 'PASS: the quality bar is met' : 'FAIL: below the quality bar');
  return lines.join('\n');
}
